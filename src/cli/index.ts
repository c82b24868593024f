import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../../package.json';
import { isAppFailure } from '../main/errors';
import { GLOBAL_OPTIONS } from './cli-args';
import { takeEnvironment } from './cli-env';
import { fileFailure } from './file-failure';
import { resolveVaultPath } from './vault-path';
import { UsageError, type CliCommand, type CliContext, type CliValues } from './cli-command';
import { commandHelp, didYouMean, fullHelp, groupHelp, groupsOf, subcommandsOf } from './cli-help';
import { commands } from './commands';
import { jsonSafe, printSecret, say, termSafe } from './output';

// Every start loads this module and what it imports statically: keep it to the dispatcher and plain words. The vault,
// SQLite, zod and the providers come with the command that needs them (commands/index.ts), the rich error words and
// stdin prompts when they are needed; test/cli/cli-start-load.test.ts checks that `--version`, help and a usage error
// load none of them.

/** The first one or two arguments that are not options (skipping --vault's value), with their places in argv. */
function commandWords(argv: string[]): { index: number; word: string }[] {
  const words: { index: number; word: string }[] = [];
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
    if (words.length === 1 && (words[0]?.index ?? -1) !== i - 1) break;
    words.push({ index: i, word: a });
  }
  return words;
}

type Found = { kind: 'command'; name: string; rest: string[] } | { kind: 'exit'; code: number };

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/**
 * Which command argv names, or what to say instead: the help asked for (`help`, `help CMD`, `GROUP`, `--help`), the
 * version, or a usage error that names what was mistyped and what was probably meant (exit 2).
 */
async function findCommand(argv: string[]): Promise<Found> {
  const words = commandWords(argv);
  const [first, second] = words;
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const groups = groupsOf(commands);
  const topLevel = new Set([...Object.keys(commands).map((n) => n.split(' ')[0] as string), 'help']);
  const rest = (n: number) => {
    const drop = new Set(words.slice(0, n).map((w) => w.index));
    return argv.filter((_, i) => !drop.has(i));
  };
  if (!first) {
    if (argv.includes('--version')) return out(`token-vault ${version}\n`), { kind: 'exit', code: 0 };
    const unknown = argv.find((a) => a.startsWith('-') && a !== '--help' && a !== '-h' && a !== '--json');
    if (argv.length > 0 && !wantsHelp && unknown && unknown !== '--vault') {
      err(`token-vault: unknown option ${termSafe(unknown)}.${didYouMean(unknown, ['--version', '--help', '--vault', '--json'])} Run \`token-vault help\` for every command.\n`);
      return { kind: 'exit', code: 2 };
    }
    if (argv.length > 0 && !wantsHelp) {
      err('token-vault: which command? Run `token-vault help` for every command.\n');
      return { kind: 'exit', code: 2 };
    }
    return out(await fullHelp(commands)), { kind: 'exit', code: 0 };
  }
  if (first.word === 'help') return help(argv.slice(first.index + 1).filter((a) => !a.startsWith('-')));
  const pair = second ? `${first.word} ${second.word}` : undefined;
  if (pair && Object.hasOwn(commands, pair)) return { kind: 'command', name: pair, rest: rest(2) };
  if (groups.has(first.word)) {
    const subs = subcommandsOf(commands, first.word);
    if (second) {
      // `trash` alone is a command too (trash list); anything else after a group word must be one of its subcommands.
      const subWords = subs.map((s) => s.slice(first.word.length + 1)).filter(Boolean);
      err(`token-vault ${first.word}: unknown subcommand "${termSafe(second.word)}".${didYouMean(second.word, subWords)}\n\n${await groupHelp(commands, first.word)}`);
      return { kind: 'exit', code: 2 };
    }
    if (Object.hasOwn(commands, first.word)) return { kind: 'command', name: first.word, rest: rest(1) };
    if (wantsHelp) return out(await groupHelp(commands, first.word)), { kind: 'exit', code: 0 };
    err(`token-vault ${first.word}: which subcommand?\n\n${await groupHelp(commands, first.word)}`);
    return { kind: 'exit', code: 2 };
  }
  if (Object.hasOwn(commands, first.word)) return { kind: 'command', name: first.word, rest: rest(1) };
  err(`token-vault: unknown command "${termSafe(first.word)}".${didYouMean(first.word, [...topLevel, ...Object.keys(commands)])} Run \`token-vault help\` for every command.\n`);
  return { kind: 'exit', code: 2 };
}

/** `help`, `help COMMAND`, `help GROUP`, `help GROUP SUB`. */
async function help(words: string[]): Promise<Found> {
  const name = words.slice(0, 2).join(' ');
  const one = words[0];
  if (!one) return out(await fullHelp(commands)), { kind: 'exit', code: 0 };
  if (words.length >= 2 && Object.hasOwn(commands, name)) return out(commandHelp(name, await (commands[name] as () => Promise<CliCommand>)())), { kind: 'exit', code: 0 };
  if (groupsOf(commands).has(one) && words.length === 1) return out(await groupHelp(commands, one)), { kind: 'exit', code: 0 };
  if (words.length === 1 && Object.hasOwn(commands, one)) return out(commandHelp(one, await (commands[one] as () => Promise<CliCommand>)())), { kind: 'exit', code: 0 };
  err(`token-vault help: no command "${termSafe(words.join(' '))}".${didYouMean(words.length >= 2 ? name : one, Object.keys(commands))}\n`);
  return { kind: 'exit', code: 2 };
}

/** Columns for tables: $COLUMNS when set, else the terminal's; none when stdout is a pipe or a file. */
function terminalColumns(env: NodeJS.ProcessEnv): number | undefined {
  const fromEnv = Number(env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

/** `Unknown option '--stauts'` -> the option and what was probably meant. */
function optionProblem(error: Error & { code?: string }, options: NonNullable<ParseArgsConfig['options']>): string {
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message;
  const given = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const known = Object.keys(options).map((o) => `--${o}`);
  return `unknown option ${termSafe(given)}.${didYouMean(given.replace(/=.*$/, ''), known)}`;
}

/**
 * Any value given as `-` (a flag's or an argument) comes from stdin, one line each in command-line order, or from a
 * prompt on a terminal: names, descriptions and search terms stay out of argv and shell history.
 */
async function valuesFromStdin(ctx: CliContext, command: CliCommand, parsed: { values: CliValues; positionals: string[]; tokens: ParsedToken[] }): Promise<void> {
  const allowed = command.stdinValues;
  if (!allowed || !parsed.tokens.some((t) => (t.kind === 'positional' || t.kind === 'option') && t.value === '-')) return;
  const { valueFromStdin } = await import('./input');
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
  const found = await findCommand(argv);
  if (found.kind === 'exit') return found.code;
  const { name, rest } = found;
  const command = await (commands[name] as () => Promise<CliCommand>)();
  const options = { ...GLOBAL_OPTIONS, ...command.options };
  let ctx: CliContext | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true, tokens: true });
    } catch (error) {
      throw new UsageError(optionProblem(error as Error, options));
    }
    if (parsed.values['help']) {
      process.stdout.write(commandHelp(name, command));
      return 0;
    }
    const [min, max] = command.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max)
      throw new UsageError(parsed.positionals.length < min ? 'Missing argument.' : `Unexpected argument "${termSafe(parsed.positionals[max] ?? '')}".`);
    const vaultOption = parsed.values['vault'];
    ctx = {
      env,
      // Our stdout and stderr are built when first used (asking a stream whether it is a terminal builds it, and
      // loads Node's streams and sockets): `run` of a child that prints nothing never needs them.
      get stdout() {
        return process.stdout;
      },
      get stderr() {
        return process.stderr;
      },
      vaultPath: resolveVaultPath(typeof vaultOption === 'string' ? vaultOption : undefined, env),
      json: parsed.values['json'] === true,
      get columns() {
        return terminalColumns(env);
      },
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
      const { errorLine } = await import('./cli-words');
      const message = errorLine(error);
      if (ctx?.json) process.stdout.write(jsonSafe({ error: { code: error.code, message }, ...unsaved }, 0) + '\n');
      else if (error.unsavedSecret !== undefined) printSecret(process.stdout, error.unsavedSecret);
      // A message may span lines on purpose (one per problem); each line is still made terminal-safe.
      say(process.stderr, ...`token-vault ${name}: ${message}${error.unsavedSecret !== undefined ? ' The secret is on stdout, shown once: copy it now.' : ''}`.split('\n'));
      return 1;
    }
    process.stderr.write(`token-vault ${name}: unexpected failure (${(error as Error)?.name ?? 'error'}). Nothing more was changed.\n`);
    if (env['TOKEN_VAULT_DEBUG']) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
