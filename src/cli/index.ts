import { parseArgs } from 'node:util';
import { isAppFailure } from '../main/errors';
import { GLOBAL_OPTIONS } from './cli-args';
import { resolveVaultPath } from './open-vault';
import { UsageError, type CliContext } from './cli-command';
import { errorLine } from './cli-words';
import { commands, type LazyCommand } from './commands';

async function helpText(): Promise<string> {
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const lines = loaded.map(([name, c]) => `  ${c.usage.startsWith(name) ? c.usage : `${name} ${c.usage}`}\n      ${c.summary}`);
  return [
    'Usage: token-vault [--vault PATH] [--json] COMMAND [options]',
    '',
    'The vault: --vault PATH, else $TOKEN_VAULT_PATH, else the Token Vault app\'s own vault.',
    'The master password: $TOKEN_VAULT_PASSWORD, else a prompt (or the OS keychain when the vault has keychain unlock).',
    'Exit codes: 0 ok, 1 error (message on stderr), 2 usage error.',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

/** Finds the command words: the first one or two arguments that are not options (skipping --vault's value). */
function findCommand(argv: string[]): { name: string; load: LazyCommand; rest: string[] } | undefined {
  const words: number[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === '--vault') {
      i++;
      continue;
    }
    if (a.startsWith('-')) {
      if (words.length > 0) break;
      continue;
    }
    if (words.length === 1 && (words[0] ?? -1) !== i - 1) break;
    words.push(i);
  }
  const [first, second] = words.map((i) => argv[i] ?? '');
  const pick = (n: 1 | 2, name: string | undefined) => {
    const load = name === undefined || !Object.hasOwn(commands, name) ? undefined : commands[name];
    if (!load || name === undefined) return undefined;
    const drop = new Set(words.slice(0, n));
    return { name, load, rest: argv.filter((_, i) => !drop.has(i)) };
  };
  return (second !== undefined ? pick(2, `${first} ${second}`) : undefined) ?? pick(1, first);
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const base = { env, stdout: process.stdout, stderr: process.stderr };
  const found = findCommand(argv);
  if (!found) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    (wantsHelp ? process.stdout : process.stderr).write(
      (wantsHelp ? '' : `token-vault: unknown command${argv.find((a) => !a.startsWith('-')) ? ` "${argv.find((a) => !a.startsWith('-'))}"` : ''}\n\n`) + (await helpText()),
    );
    return wantsHelp ? 0 : 2;
  }
  const { name, rest } = found;
  const command = await found.load();
  let ctx: CliContext | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values['help']) {
      process.stdout.write(`Usage: token-vault ${command.usage}\n  ${command.summary}\n`);
      return 0;
    }
    const [min, max] = command.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max)
      throw new UsageError(parsed.positionals.length < min ? 'Missing argument.' : `Unexpected argument "${parsed.positionals[max]}".`);
    const vaultOption = parsed.values['vault'];
    ctx = {
      ...base,
      vaultPath: resolveVaultPath(typeof vaultOption === 'string' ? vaultOption : undefined, env),
      json: parsed.values['json'] === true,
    };
    return (await command.run(ctx, { values: parsed.values, positionals: parsed.positionals })) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`token-vault ${name}: ${error.message}\nUsage: token-vault ${command.usage}\n`);
      return 2;
    }
    if (isAppFailure(error)) {
      // A secret the service issued but the vault could not store goes to stdout like any issued secret (in --json,
      // as the `secret` field of the one error object), so it is never lost.
      const unsaved = error.unsavedSecret === undefined ? {} : { secret: error.unsavedSecret };
      const message = errorLine(error);
      if (ctx?.json) process.stdout.write(JSON.stringify({ error: { code: error.code, message }, ...unsaved }) + '\n');
      else if (error.unsavedSecret !== undefined) process.stdout.write(`${error.unsavedSecret}\n`);
      process.stderr.write(`token-vault: ${message}${error.unsavedSecret !== undefined ? ' The secret is on stdout, shown once: copy it now.' : ''}\n`);
      return 1;
    }
    process.stderr.write(`token-vault: unexpected failure (${(error as Error)?.name ?? 'error'}). Nothing more was changed.\n`);
    if (env['TOKEN_VAULT_DEBUG']) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
