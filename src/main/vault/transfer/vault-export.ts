import { randomUUID } from 'node:crypto';
import { aad, openText } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { freshTokens, INSERT_CLEAR_AUDIT_SQL } from '../tokens/token-store';
import type { ExportedToken, Workspace } from '../db/vault-types';
import { freshWorkspaces } from '../workspaces/workspace-records';

/**
 * Every token (of one workspace, or all) with its secret, for an export file: read in ONE transaction so the file is a
 * consistent picture, and each token's secret leaving the vault is audited ('exported') in that same transaction.
 */
export function readTokensForExport(
  core: VaultCore,
  options: { actor: string; workspaceId?: string },
): { workspaces: Workspace[]; tokens: ExportedToken[] } {
  const key = core.key();
  const { db } = core;
  const now = new Date().toISOString();
  return core.write(() => {
    const workspaces = [...freshWorkspaces(core).values()].filter((w) => options.workspaceId === undefined || w.id === options.workspaceId);
    const wanted = new Set(workspaces.map((w) => w.id));
    const summaries = [...freshTokens(core).values()].filter((t) => wanted.has(t.workspaceId));
    // One scan, not a query per token.
    const blobs = new Map((db.prepare('SELECT id, secret FROM tokens WHERE secret IS NOT NULL').raw().all() as [string, Buffer][]));
    const audit = db.prepare(INSERT_CLEAR_AUDIT_SQL);
    const tokens = summaries.map((token): ExportedToken => {
      const blob = blobs.get(token.id);
      const secret = blob ? openText(key, blob, aad('tokens', token.id, 'secret'), 'A token secret') : null;
      if (secret !== null) audit.run(randomUUID(), now, 'exported', token.id, token.workspaceId, options.actor);
      return { token, secret };
    });
    return { workspaces, tokens };
  });
}
