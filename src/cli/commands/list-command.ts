import { isTokenStatus, TOKEN_STATUSES } from '../../shared/token-status';
import type { TokenSummary, Vault } from '../../main/vault';
import { resolveWorkspace } from '../../main/use-cases/token-lookup';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { daysFromNow, parseDays, promptLine } from '../input';
import { withVault } from '../open-vault';
import { day, printJson, printTable, tokenJson } from '../output';

/** Shared by list and search: a table, or --json objects with the workspace name added. */
export function printTokens(ctx: CliContext, vault: Vault, tokens: TokenSummary[]): void {
  const workspaces = new Map(vault.workspaces.list().map((w) => [w.id, w]));
  const sorted = [...tokens].sort(
    (a, b) =>
      (workspaces.get(a.workspaceId)?.name ?? '').localeCompare(workspaces.get(b.workspaceId)?.name ?? '') ||
      a.name.localeCompare(b.name),
  );
  if (ctx.json) return printJson(ctx, sorted.map((t) => tokenJson(t, workspaces)));
  printTable(
    ctx,
    ['ID', 'TOKEN', 'STATUS', 'EXPIRES'],
    sorted.map((t) => [t.id, `${workspaces.get(t.workspaceId)?.name ?? '?'}/${t.name}`, t.status, day(t.expiresAt)]),
  );
}

export const listCommand: CliCommand = {
  summary: 'List tokens (no secrets).',
  usage: 'list [--workspace W] [--status S] [--expiring 30d]',
  options: { workspace: { type: 'string' }, status: { type: 'string' }, expiring: { type: 'string' } },
  async run(ctx, { values }) {
    const status = values['status'];
    if (status !== undefined && !isTokenStatus(status))
      throw new UsageError(`--status must be one of ${TOKEN_STATUSES.join(', ')}.`);
    const expiring = typeof values['expiring'] === 'string' ? parseDays(values['expiring'], '--expiring') : undefined;
    await withVault(ctx, (vault) => {
      const ws = typeof values['workspace'] === 'string' ? resolveWorkspace(vault, values['workspace']) : undefined;
      const tokens = vault.tokens.list({
        ...(ws ? { workspaceId: ws.id } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(expiring !== undefined ? { expiresBefore: daysFromNow(expiring) } : {}),
      });
      printTokens(ctx, vault, tokens);
    });
  },
};

export const searchCommand: CliCommand = {
  summary: 'Find tokens whose name, workspace, description, URL or notes contain QUERY (case-insensitive).',
  usage: 'search QUERY|- (asked for on a terminal when left out)',
  positionals: [0, 1],
  stdinValues: { positionals: true },
  async run(ctx, { positionals }) {
    const query = positionals[0] ?? (process.stdin.isTTY ? await promptLine(ctx, 'Search: ') : undefined);
    if (query === undefined) throw new UsageError('Missing QUERY: give it, or - to read it from stdin.');
    await withVault(ctx, (vault) => printTokens(ctx, vault, vault.tokens.search(query)));
  },
};
