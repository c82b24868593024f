import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { appendAuditRow } from '../audit/vault-audit';
import { definedOnly, notFound, type VaultCore } from '../db/vault-core';
import type { TokenBatch, TokenBatchOutcome, TokenSummary } from '../db/vault-types';
import { fieldsOf, ROW, summaryOf, tamperedToken, tokenFromInput, TOKEN_COLUMNS, UPDATE_TOKEN_SQL, type TokenRow } from './token-rows';
import { cachedTokens, cacheWritten, insertTokenRow, loadSummaries, pickShard, remoteRefOf, rowValues, ShardWrite } from './token-store';

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
  let canon = new Map<string, string>();
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
    const shards = new ShardWrite(core);

    const updated: TokenSummary[] = [];
    const selectRow = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw();
    const updateRow = core.prepared(UPDATE_TOKEN_SQL);
    const latest = new Map<string, TokenSummary>();
    for (const { id, patch } of batch.update ?? []) {
      const row = selectRow.get(id) as TokenRow | undefined;
      if (!row || row[ROW.workspaceId] !== workspaceId) throw notFound('The token');
      const fields = shards.fields(row[ROW.shardId]).get(id);
      if (!fields) throw tamperedToken(id);
      // A second patch of the same token in this batch starts from the first one.
      const current = latest.get(id) ?? summaryOf(row, fields);
      const next: TokenSummary = { ...current, ...definedOnly(patch), updatedAt: now };
      latest.set(id, next);
      updateRow.run(...rowValues(core, next), id);
      shards.set(row[ROW.shardId], id, fieldsOf(next));
      if (actor) appendAuditRow(core, key, { action: 'updated', tokenId: id, workspaceId, actor });
      updated.push(next);
    }

    const inserts = batch.insert ?? [];
    const exists = core.prepared('SELECT 1 FROM tokens WHERE id = ?').pluck();
    const remoteTaken = core.prepared('SELECT 1 FROM tokens WHERE workspace_id = ? AND remote_ref = ?').pluck();
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
        if (remoteIds.has(t.remoteId) || remoteTaken.get(workspaceId, remoteRefOf(core, workspaceId, t.remoteId)))
          throw new AppFailure('already-exists', 'The workspace already holds a token with this remote id. Sync again.');
        remoteIds.add(t.remoteId);
      }
      return tokenFromInput(id, t, now);
    });
    const shardIds = pickShard(core, inserted.length);
    // Every block is checked before any of its rows changes.
    for (const shardId of new Set(shardIds)) shards.fields(shardId);
    inserted.forEach((s, i) => {
      const shardId = shardIds[i] ?? 1;
      insertTokenRow(core, s, shardId, inserts[i]?.secret ?? null);
      shards.set(shardId, s.id, fieldsOf(s));
      appendAuditRow(core, key, { action: 'created', tokenId: s.id, workspaceId, actor });
    });
    canon = shards.flush();
    return { inserted, updated };
  });
  cacheWritten(core, [...outcome.updated, ...outcome.inserted], canon);
  return outcome;
}
