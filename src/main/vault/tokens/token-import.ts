import { randomUUID } from 'node:crypto';
import type { VaultCore } from '../db/vault-core';
import { fieldsOf, tokenFromInput } from './token-rows';
import {
  addShardChange,
  freshTokens,
  INSERT_CLEAR_AUDIT_SQL,
  insertTokenRow,
  pickShard,
  rewriteShards,
  type ShardChanges,
} from './token-store';
import type { ImportOutcome, ImportRecord, TokenSummary } from '../db/vault-types';
import { freshWorkspaces, sealWorkspaceFields, type WorkspaceFields } from '../workspaces/workspace-records';

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
    const insertWs = db.prepare('INSERT INTO workspaces (id, kind, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    const fresh: TokenSummary[] = [];
    const secrets: (string | null)[] = [];
    for (const rec of list) {
      let wsId = wsByName.get(rec.workspace);
      if (wsId === undefined) {
        wsId = randomUUID();
        const fields: WorkspaceFields = { name: rec.workspace, baseUrl: null, username: null, tokenPageUrl: null, syncErrorMessage: null };
        insertWs.run(wsId, 'manual', sealWorkspaceFields(key, wsId, fields), now, now);
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
    const changes: ShardChanges = new Map();
    const audit = db.prepare(INSERT_CLEAR_AUDIT_SQL);
    fresh.forEach((s, i) => {
      const shardId = shardIds[i] ?? 1;
      insertTokenRow(core, key, s, shardId, secrets[i] ?? null);
      addShardChange(changes, shardId, s.id, fieldsOf(s));
      audit.run(randomUUID(), now, 'imported', s.id, s.workspaceId, actor);
    });
    rewriteShards(core, key, changes);
    outcome.inserted = fresh.length;
  });
  // Many rows changed at once: reload on next read rather than patch the caches.
  core.forgetCaches();
  core.touchAll();
  return outcome;
}
