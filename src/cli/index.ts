import { parseArgs } from 'node:util';
import { isAppFailure } from '../main/errors';
import { GLOBAL_OPTIONS } from './cli-args';
import { takeEnvironment } from './cli-env';
import { fileFailure } from './file-failure';
import { resolveVaultPath } from './open-vault';
import { UsageError, type CliCommand, type CliContext, type CliValues } from './cli-command';
import { valueFromStdin } from './input';
import { errorLine } from './cli-words';
import { jsonSafe, printSecret, say } from './output';
import { commands, type LazyCommand } from './commands';

async function helpText(): Promise<string> {
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const lines = loaded.map(([name, c]) => `  ${c.usage.startsWith(name) ? c.usage : `${name} ${c.usage}`}\n      ${c.summary}`);
  return [
    'Usage: token-vault [--vault PATH] [--json] COMMAND [options]',
    '',
    'The vault: --vault PATH, else $TOKEN_VAULT_PATH, else the Token Vault app\'s own vault.',
    'The master password: $TOKEN_VAULT_PASSWORD, else a prompt (or the OS keychain when the vault has keychain unlock).',
    'A name, description, search term or W/N given as - is read from stdin (one line each, in order, before a secret)',
    'or asked for on a terminal, so it never shows in argv.',
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

/**
 * Any value given as `-` (a flag's or an argument) comes from stdin, one line each in command-line order, or from a
 * prompt on a terminal: names, descriptions and search terms stay out of argv and shell history.
 */
async function valuesFromStdin(ctx: CliContext, command: CliCommand, parsed: { values: CliValues; positionals: string[]; tokens: ParsedToken[] }): Promise<void> {
  const allowed = command.stdinValues;
  if (!allowed) return;
  let position = 0;
  for (const t of parsed.tokens) {
    if (t.kind === 'positional') {
      if (t.value === '-' && allowed.positionals) parsed.positionals[position] = await valueFromStdin(ctx, `Argument ${position + 1}`);
      position++;
    } else if (t.kind === 'option' && t.value === '-' && allowed.options?.includes(t.name)) {
      parsed.values[t.name] = await valueFromStdin(ctx, t.name.charAt(0).toUpperCase() + t.name.slice(1));
    }
  }
}

type ParsedToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

export async function runCli(argv: string[], processEnv: NodeJS.ProcessEnv = process.env): Promise<number> {
  const env = takeEnvironment(processEnv);
  const base = { env, stdout: process.stdout, stderr: process.stderr };
  const found = findCommand(argv);
  if (!found) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    const unknown = argv.find((a) => !a.startsWith('-'));
    if (!wantsHelp) say(process.stderr, `token-vault: unknown command${unknown ? ` "${unknown}"` : ''}`, '');
    (wantsHelp ? process.stdout : process.stderr).write(await helpText());
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
        tokens: true,
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
    await valuesFromStdin(ctx, command, parsed);
    return (await command.run(ctx, { values: parsed.values, positionals: parsed.positionals })) ?? 0;
  } catch (thrown) {
    const error = fileFailure(thrown, ctx?.vaultPath) ?? thrown;
    if (error instanceof UsageError) {
      say(process.stderr, `token-vault ${name}: ${error.message}`, `Usage: token-vault ${command.usage}`);
      return 2;
    }
    if (isAppFailure(error)) {
      // A secret the service issued but the vault could not store goes to stdout like any issued secret (in --json,
      // as the `secret` field of the one error object), so it is never lost.
      const unsaved = error.unsavedSecret === undefined ? {} : { secret: error.unsavedSecret };
      const message = errorLine(error);
      if (ctx?.json) process.stdout.write(jsonSafe({ error: { code: error.code, message }, ...unsaved }, 0) + '\n');
      else if (error.unsavedSecret !== undefined) printSecret(process.stdout, error.unsavedSecret);
      // A message may span lines on purpose (one per problem); each line is still made terminal-safe.
      say(process.stderr, ...`token-vault: ${message}${error.unsavedSecret !== undefined ? ' The secret is on stdout, shown once: copy it now.' : ''}`.split('\n'));
      return 1;
    }
    process.stderr.write(`token-vault: unexpected failure (${(error as Error)?.name ?? 'error'}). Nothing more was changed.\n`);
    if (env['TOKEN_VAULT_DEBUG']) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
