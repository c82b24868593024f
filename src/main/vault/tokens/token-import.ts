import { randomUUID } from 'node:crypto';
import type { VaultCore } from '../db/vault-core';
import { appendAuditRow } from '../audit/vault-audit';
import { fieldsOf, tokenFromInput } from './token-rows';
import { freshTokens, insertTokenRow, pickShard, ShardWrite } from './token-store';
import type { ImportOutcome, ImportRecord, TokenSummary } from '../db/vault-types';
import { freshWorkspaces, insertWorkspaceRow } from '../workspaces/workspace-records';

/**
 * Imports the dataset format of ../shared/bench/gen-dataset.mjs in one transaction. Missing workspaces are created
 * as manual ones; a record whose id, or whose workspace + name, is already stored is skipped.
 */
export function importTokens(core: VaultCore, records: Iterable<ImportRecord>, actor: string): ImportOutcome {
  const key = core.key();
  const tokens = freshTokens(core);
  const workspaces = freshWorkspaces(core);
  const wsByName = new Map<string, string>();
  for (const ws of workspaces.values()) wsByName.set(ws.name, ws.id);
  const taken = new Set<string>();
  for (const t of tokens.values()) taken.add(`${t.workspaceId}\u0000${t.name}`);
  const now = new Date().toISOString();
  const outcome: ImportOutcome = { inserted: 0, skipped: 0, workspacesCreated: 0 };
  const list = [...records];
  const { db } = core;
  core.write(() => {
    const exists = db.prepare('SELECT 1 FROM tokens WHERE id = ?').pluck();
    const fresh: TokenSummary[] = [];
    const secrets: (string | null)[] = [];
    for (const rec of list) {
      let wsId = wsByName.get(rec.workspace);
      if (wsId === undefined) {
        wsId = insertWorkspaceRow(core, { kind: 'manual', name: rec.workspace }, now);
        wsByName.set(rec.workspace, wsId);
        outcome.workspacesCreated++;
      }
      const id = rec.id && /^[0-9a-f-]{8,64}$/i.test(rec.id) ? rec.id : randomUUID();
      const nameKey = `${wsId}\u0000${rec.name}`;
      if (taken.has(nameKey) || exists.get(id)) {
        outcome.skipped++;
        continue;
      }
      taken.add(nameKey);
      fresh.push(
        tokenFromInput(
          id,
          {
            workspaceId: wsId,
            name: rec.name,
            prefix: rec.prefix ?? null,
            url: rec.url ?? null,
            notes: rec.notes ?? null,
            expiresAt: rec.expiresAt ?? null,
            ...(rec.createdAt ? { createdAt: rec.createdAt } : {}),
          },
          now,
        ),
      );
      secrets.push(rec.secret ?? null);
    }
    const shardIds = pickShard(core, fresh.length);
    const shards = new ShardWrite(core);
    for (const shardId of new Set(shardIds)) shards.fields(shardId);
    fresh.forEach((s, i) => {
      const shardId = shardIds[i] ?? 1;
      insertTokenRow(core, s, shardId, secrets[i] ?? null);
      shards.set(shardId, s.id, fieldsOf(s));
      appendAuditRow(core, key, { action: 'imported', tokenId: s.id, workspaceId: s.workspaceId, actor });
    });
    shards.flush();
    outcome.inserted = fresh.length;
  });
  // Many rows changed at once: reload on next read rather than patch the caches.
  core.forgetCaches();
  core.touchAll();
  return outcome;
}
