import type { VaultCore } from '../db/vault-core';
import { appendAuditRows } from '../audit/vault-audit';
import { TOKEN_COLUMNS, ROW, type TokenRow } from '../tokens/token-rows';
import { checkedRow, freshTokens, openSecret } from '../tokens/token-store';
import type { ExportedToken, Workspace } from '../db/vault-types';
import { freshWorkspaces } from '../workspaces/workspace-records';

/**
 * Every token (of one workspace, or all) with its secret, for an export file: read in ONE transaction so the file is a
 * consistent picture, and each token's secret leaving the vault is audited ('exported') in that same transaction.
 * Every row is read through the authenticated paths (db/row-auth.ts): an edited or replayed row stops the export.
 */
export function readTokensForExport(
  core: VaultCore,
  options: { actor: string; workspaceId?: string },
): { workspaces: Workspace[]; tokens: ExportedToken[] } {
  const key = core.key();
  return core.write(() => {
    const workspaces = [...freshWorkspaces(core).values()].filter((w) => options.workspaceId === undefined || w.id === options.workspaceId);
    const wanted = new Set(workspaces.map((w) => w.id));
    const summaries = [...freshTokens(core).values()].filter((t) => wanted.has(t.workspaceId));
    // One scan, not a query per token; each row checked against its shard, its secret opened under its generation.
    const blobs = new Map<string, string>();
    for (const found of core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens WHERE secret IS NOT NULL`).raw().all() as [...TokenRow, Buffer][]) {
      const row = found.slice(0, -1) as TokenRow;
      if (!wanted.has(row[ROW.workspaceId])) continue;
      checkedRow(core, row);
      blobs.set(row[ROW.id], openSecret(key, row[ROW.id], row[ROW.secretRev], found[found.length - 1] as Buffer));
    }
    const tokens = summaries.map((token): ExportedToken => ({ token, secret: blobs.get(token.id) ?? null }));
    appendAuditRows(
      core,
      key,
      tokens.filter((t) => t.secret !== null).map(({ token }) => ({ action: 'exported', tokenId: token.id, workspaceId: token.workspaceId, actor: options.actor })),
    );
    return { workspaces, tokens };
  });
}
