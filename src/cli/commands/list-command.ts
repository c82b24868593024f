import { isTokenStatus, statusAt, TOKEN_STATUSES } from '../../shared/token-status';
import type { TokenSummary, Vault } from '../../main/vault';
import { resolveWorkspace } from '../../main/use-cases/token-lookup';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { daysFromNow, parseDays, promptLine } from '../input';
import { withVault } from '../open-vault';
import { displayWidth, nameOrder, printJson, printTable, relativeTime, say, tokenJson, truncate, type TableColumn } from '../output';
import { shortIds } from '../token-ref';

/**
 * WORKSPACE/NAME cut to `width` cells, keeping both halves readable: the workspace gives way first, down to a few
 * characters, then the name. (Token names never hold a slash; workspace names may.)
 */
function fitRef(ref: string, width: number): string {
  const slash = ref.lastIndexOf('/');
  const ws = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  const nameWidth = displayWidth(name);
  const wsRoom = Math.max(Math.min(displayWidth(ws), 6), width - 1 - nameWidth);
  const shortWs = truncate(ws, wsRoom);
  return `${shortWs}/${truncate(name, width - 1 - displayWidth(shortWs))}`;
}

const TOKEN_COLUMN: TableColumn = { header: 'TOKEN', shrink: { min: 16, fit: fitRef } };

/**
 * Shared by list and search: a table that fits the terminal (short ids, relative dates), the whole ids and dates with
 * `--long`, or --json objects with the workspace name, the status now and the short id added. `empty` is said on
 * stderr when nothing matched.
 */
export function printTokens(ctx: CliContext, vault: Vault, tokens: TokenSummary[], options: { long?: boolean; empty: string }): void {
  const now = Date.now();
  const workspaces = new Map(vault.workspaces.list().map((w) => [w.id, w]));
  const wsName = (t: TokenSummary) => workspaces.get(t.workspaceId)?.name ?? '?';
  const byName = nameOrder(tokens.flatMap((t) => [wsName(t), t.name]));
  const sorted = [...tokens].sort((a, b) => byName(wsName(a), wsName(b)) || byName(a.name, b.name));
  // Unique within the whole vault, so an id shown here still names one token in any other command.
  const short = shortIds(vault.tokens.ids());
  // A shared token synced with two concurrent secrets says so wherever it is listed (`share pick` resolves it).
  const twoSecrets = new Set(vault.tokens.reminderFacts(sorted.map((t) => t.id)).filter((f) => f.secretConflict).map((f) => f.id));
  const status = (t: TokenSummary) => (twoSecrets.has(t.id) ? `${statusAt(t, now)}, two secrets: pick one` : statusAt(t, now));
  if (ctx.json)
    return printJson(ctx, sorted.map((t) => ({ ...tokenJson(t, workspaces, now), shortId: short.get(t.id) ?? t.id, ...(twoSecrets.has(t.id) ? { twoSecrets: true } : {}) })));
  if (sorted.length === 0) return say(ctx.stderr, options.empty);
  const ref = (t: TokenSummary) => `${wsName(t)}/${t.name}`;
  if (options.long) {
    printTable(
      { ...ctx, columns: undefined },
      ['ID', 'TOKEN', 'STATUS', 'EXPIRES', 'LAST USED', 'CREATED'],
      sorted.map((t) => [t.id, ref(t), status(t), t.expiresAt ?? 'never', t.lastUsedAt, t.createdAt]),
    );
    return;
  }
  printTable(
    ctx,
    ['ID', TOKEN_COLUMN, 'STATUS', 'EXPIRES', 'LAST USED'],
    sorted.map((t) => [
      short.get(t.id) ?? t.id,
      ref(t),
      status(t),
      t.expiresAt === null ? 'never' : relativeTime(t.expiresAt, now),
      t.lastUsedAt === null ? null : relativeTime(t.lastUsedAt, now),
    ]),
  );
}

export const listCommand: CliCommand = {
  summary: 'List tokens (no secrets).',
  usage: 'list [--workspace W] [--status S] [--expiring DAYS] [--long]',
  details: [
    'The table fits the terminal: ids shortened (any unique start of an id works wherever an id does), expiry and last',
    'use relative to now, "-" when the service never said. --long shows whole ids and dates.',
    `--status: ${TOKEN_STATUSES.join(', ')} (a token past its expiry is expired, whatever the service last said).`,
    '--expiring 7 (or 7d, 2w): tokens whose expiry falls within that many days, or has passed.',
  ],
  options: { workspace: { type: 'string' }, status: { type: 'string' }, expiring: { type: 'string' }, long: { type: 'boolean' } },
  async run(ctx, { values }) {
    const status = values['status'];
    if (status !== undefined && !isTokenStatus(status)) throw new UsageError(`--status must be one of ${TOKEN_STATUSES.join(', ')}.`);
    const expiring = typeof values['expiring'] === 'string' ? parseDays(values['expiring'], '--expiring') : undefined;
    await withVault(ctx, (vault) => {
      const ws = typeof values['workspace'] === 'string' ? resolveWorkspace(vault, values['workspace']) : undefined;
      const now = Date.now();
      const tokens = vault.tokens
        .list({ ...(ws ? { workspaceId: ws.id } : {}), ...(expiring !== undefined ? { expiresBefore: daysFromNow(expiring) } : {}) })
        .filter((t) => status === undefined || statusAt(t, now) === status);
      const filters = [ws ? `in ${ws.name}` : '', status ? `with status ${status}` : '', expiring !== undefined ? `expiring within ${expiring} days` : '']
        .filter(Boolean)
        .join(', ');
      const empty = filters
        ? `No tokens ${filters}.`
        : 'No tokens in this vault yet. Store one with `token-vault add`, or add a workspace with `token-vault workspace add`.';
      printTokens(ctx, vault, tokens, { long: values['long'] === true, empty });
    });
  },
};

export const searchCommand: CliCommand = {
  summary: 'Find tokens whose name, workspace, description, URL or notes contain QUERY (case-insensitive).',
  usage: 'search QUERY|- [--long] (QUERY asked for on a terminal when left out)',
  options: { long: { type: 'boolean' } },
  positionals: [0, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    const query = positionals[0] ?? (process.stdin.isTTY ? await promptLine(ctx, 'Search: ') : undefined);
    if (query === undefined) throw new UsageError('Missing QUERY: give it, or - to read it from stdin.');
    await withVault(ctx, (vault) =>
      printTokens(ctx, vault, vault.tokens.search(query), { long: values['long'] === true, empty: `No token matches "${query}".` }),
    );
  },
};
