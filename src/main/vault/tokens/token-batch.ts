import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import type { ShardContent } from './summary-shards';
import { definedOnly, notFound, type VaultCore } from '../db/vault-core';
import {
  clearValues,
  fieldsOf,
  summaryOf,
  tamperedShard,
  tokenFromInput,
  TOKEN_COLUMNS,
  UPDATE_TOKEN_SQL,
  type TokenRow,
} from './token-rows';
import {
  addShardChange,
  cachedTokens,
  INSERT_CLEAR_AUDIT_SQL,
  insertTokenRow,
  loadSummaries,
  pickShard,
  readShard,
  rewriteShards,
  type ShardChanges,
} from './token-store';
import type { TokenBatch, TokenBatchOutcome, TokenSummary } from '../db/vault-types';

/**
 * Inserts and patches many tokens of one workspace in ONE transaction: all or nothing, one commit, and each touched
 * summary shard re-sealed once (a sync of 200 new tokens costs one shard rewrite instead of 200). Pass a function to
 * decide the batch under the write lock from the workspace's tokens as they are now: another process may have
 * written since the caller last read, so a merge by remote id decided there never duplicates or overwrites it.
 * An insert whose remote id the workspace already holds is refused (already-exists), as is a duplicate id.
 */
export function applyTokenBatch(
  core: VaultCore,
  workspaceId: string,
  plan: TokenBatch | ((current: TokenSummary[]) => TokenBatch),
  actor: string,
  options: { remoteIdsMayRepeat?: boolean } = {},
): TokenBatchOutcome {
  const key = core.key();
  const now = new Date().toISOString();
  const { db } = core;
  const outcome = core.write(() => {
    if (!db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(workspaceId)) throw notFound('The workspace');
    let batch: TokenBatch;
    if (typeof plan === 'function') {
      // Under the write lock the cache check is exact: nobody else can commit until this transaction ends.
      const cached = cachedTokens(core);
      const current = cached
        ? [...cached.values()].filter((t) => t.workspaceId === workspaceId)
        : loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
      batch = plan(current);
    } else batch = plan;
    const changes: ShardChanges = new Map();
    const audit = db.prepare(INSERT_CLEAR_AUDIT_SQL);

    const updated: TokenSummary[] = [];
    const shards = new Map<number, ShardContent>();
    const selectRow = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw();
    const updateRow = db.prepare(UPDATE_TOKEN_SQL);
    for (const { id, patch } of batch.update ?? []) {
      const row = selectRow.get(id) as TokenRow | undefined;
      if (!row || row[1] !== workspaceId) throw notFound('The token');
      let shard = shards.get(row[2]);
      if (!shard) shards.set(row[2], (shard = readShard(core, key, row[2])));
      const fields = shard[id];
      if (!fields) throw tamperedShard();
      const next: TokenSummary = { ...summaryOf(row, fields), ...definedOnly(patch), updatedAt: now };
      updateRow.run(...clearValues(next).slice(1), now, id);
      const nextFields = fieldsOf(next);
      if (JSON.stringify(nextFields) !== JSON.stringify(fields)) {
        shard[id] = nextFields; // a second patch of the same token in this batch starts from this one
        addShardChange(changes, row[2], id, nextFields);
      }
      if (actor) audit.run(randomUUID(), now, 'updated', id, workspaceId, actor);
      updated.push(next);
    }

    const inserts = batch.insert ?? [];
    const exists = db.prepare('SELECT 1 FROM tokens WHERE id = ?').pluck();
    const remoteTaken = db.prepare('SELECT 1 FROM tokens WHERE workspace_id = ? AND remote_id = ?').pluck();
    const ids = new Set<string>();
    const remoteIds = new Set<string>();
    const inserted = inserts.map((t) => {
      if (t.workspaceId !== workspaceId)
        throw new AppFailure('invalid-argument', 'Every token of a batch must belong to the batch\'s workspace.');
      const id = t.id ?? randomUUID();
      if (ids.has(id) || exists.get(id)) throw new AppFailure('already-exists', 'A token with this id is already in the vault.');
      ids.add(id);
      // Sharing: two members may each have synced the same service token before sharing; both records are kept.
      if (t.remoteId && !options.remoteIdsMayRepeat) {
        if (remoteIds.has(t.remoteId) || remoteTaken.get(workspaceId, t.remoteId))
          throw new AppFailure('already-exists', 'The workspace already holds a token with this remote id. Sync again.');
        remoteIds.add(t.remoteId);
      }
      return tokenFromInput(id, t, now);
    });
    const shardIds = pickShard(core, inserted.length);
    inserted.forEach((s, i) => {
      const shardId = shardIds[i] ?? 1;
      insertTokenRow(core, key, s, shardId, inserts[i]?.secret ?? null);
      addShardChange(changes, shardId, s.id, fieldsOf(s));
      audit.run(randomUUID(), now, 'created', s.id, workspaceId, actor);
    });
    rewriteShards(core, key, changes);
    return { inserted, updated };
  });
  for (const s of [...outcome.updated, ...outcome.inserted]) {
    core.tokenCache?.tokens.set(s.id, s);
    core.touch(s.id);
  }
  return outcome;
}
