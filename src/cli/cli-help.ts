import type { CliCommand } from './cli-command';
import type { LazyCommand } from './commands';

// The command line's help: every command, one group (`token`, `workspace`), one command; and "did you mean" for a
// mistyped command, subcommand or option.

const GLOBAL_LINES = [
  'The vault: --vault PATH, else $TOKEN_VAULT_PATH, else the Token Vault app\'s own vault.',
  'The master password: $TOKEN_VAULT_PASSWORD, else a prompt (or the OS keychain when the vault has keychain unlock).',
  'A name, description, search term or W/N given as - is read from stdin (one line each, in order, before a secret)',
  'or asked for on a terminal, so it never shows in argv.',
  'Exit codes: 0 ok, 1 error (message on stderr), 2 usage error.',
];

// `trash [list]` is the usage of both `trash` and `trash list`: a usage that starts with the command's first word is whole.
const usageOf = (name: string, c: CliCommand) => (c.usage.startsWith(name.split(' ')[0] as string) ? c.usage : `${name} ${c.usage}`);

/** The commands named, each shown once where two names run the same one (`trash`, `trash list`). */
async function load(commands: Record<string, LazyCommand>, names: string[]): Promise<[string, CliCommand][]> {
  const loaded = await Promise.all(names.map(async (n) => [n, await (commands[n] as LazyCommand)()] as [string, CliCommand]));
  return loaded.filter(([, c], i) => loaded.findIndex(([, other]) => other === c) === i);
}

const entry = ([name, c]: [string, CliCommand]) => `  ${usageOf(name, c)}\n      ${c.summary}`;

export async function fullHelp(commands: Record<string, LazyCommand>): Promise<string> {
  return [
    'Usage: token-vault [--vault PATH] [--json] COMMAND [options]',
    '',
    ...GLOBAL_LINES,
    '',
    'Commands:',
    ...(await load(commands, Object.keys(commands))).map(entry),
    '',
    'token-vault help COMMAND (or COMMAND --help) says more about one command; token-vault --version its version.',
    '',
  ].join('\n');
}

/** The words that open a two-word command (`token`, `workspace`, `trash`). */
export const groupsOf = (commands: Record<string, LazyCommand>): Set<string> =>
  new Set(Object.keys(commands).filter((n) => n.includes(' ')).map((n) => n.slice(0, n.indexOf(' '))));

export const subcommandsOf = (commands: Record<string, LazyCommand>, group: string): string[] =>
  Object.keys(commands).filter((n) => n.startsWith(`${group} `) || n === group);

export async function groupHelp(commands: Record<string, LazyCommand>, group: string): Promise<string> {
  return [`Usage: token-vault ${group} SUBCOMMAND [options]`, '', 'Subcommands:', ...(await load(commands, subcommandsOf(commands, group))).map(entry), ''].join('\n');
}

export function commandHelp(name: string, c: CliCommand): string {
  return [
    `Usage: token-vault ${usageOf(name, c)}`,
    '',
    c.summary,
    ...(c.details?.length ? ['', ...c.details] : []),
    '',
    'Every command also takes --vault PATH, --json and --help.',
    '',
  ].join('\n');
}

/** Optimal string alignment distance: edits, with a swap of two neighbours counted as one (`lsit` -> `list`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** What people coming from keepassxc-cli, 1Password's `op` or git type for our commands. */
const SYNONYMS: Record<string, string[]> = {
  ls: ['list'],
  show: ['get'],
  cat: ['get'],
  read: ['get'],
  copy: ['clip'],
  cp: ['clip'],
  find: ['search'],
  grep: ['search'],
  rm: ['remove'],
  del: ['remove'],
  delete: ['remove'],
  new: ['add', 'token create'],
  create: ['add', 'token create'],
  undelete: ['restore'],
  recover: ['restore'],
  log: ['audit'],
  history: ['audit'],
  ws: ['workspace'],
  version: ['--version'],
};

/** The closest candidates to a mistyped `word` (at most three), nearest first. */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  const all = [...new Set(candidates)];
  const known = SYNONYMS[word.toLowerCase()]?.filter((s) => s === '--version' || all.includes(s) || all.some((c) => c.startsWith(`${s} `)));
  if (known?.length) return known;
  // A subcommand typed alone (`revoke`): its group's command.
  const second = all.filter((c) => c.endsWith(` ${word}`));
  if (second.length) return second;
  const limit = Math.max(1, Math.floor(word.length / 3));
  return all
    .map((c) => ({ c, d: Math.min(editDistance(word.toLowerCase(), c), c.startsWith(word.toLowerCase()) && word.length >= 2 ? 1 : Infinity) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 3)
    .map((x) => x.c);
}

/** ` Did you mean "list"?` (or nothing). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  if (s.length === 0) return '';
  return ` Did you mean ${s.map((x) => `"${x}"`).join(' or ')}?`;
}
