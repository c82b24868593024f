import type { Statement } from 'better-sqlite3';
import { openShard, sealShard, SHARD_SIZE, type SealedFields, type ShardContent } from './summary-shards';
import { aad, sealText } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { clearValues, summaryOf, tamperedShard, TOKEN_COLUMNS, type TokenRow } from './token-rows';
import type { TokenSummary } from '../db/vault-types';

/** Per-shard changes of one write: token id -> its new sealed fields, or null to remove it. */
export type ShardChanges = Map<number, Map<string, SealedFields | null>>;

export function addShardChange(changes: ShardChanges, shardId: number, id: string, fields: SealedFields | null): void {
  let m = changes.get(shardId);
  if (!m) changes.set(shardId, (m = new Map()));
  m.set(id, fields);
}

/** Audit rows written in bulk by batch writes and imports (no sealed detail, so no per-row encryption). */
export const INSERT_CLEAR_AUDIT_SQL =
  'INSERT INTO audit (uid, at, action, token_id, workspace_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?, NULL)';

/** The token cache if it is still current, else null (and it is dropped). */
export function cachedTokens(core: VaultCore): Map<string, TokenSummary> | null {
  core.key();
  if (core.tokenCache && core.tokenCache.version !== core.dataVersion()) core.tokenCache = null;
  return core.tokenCache?.tokens ?? null;
}

/** Every token summary in memory, reloaded when another connection committed since they were read. */
export function freshTokens(core: VaultCore): Map<string, TokenSummary> {
  const cached = cachedTokens(core);
  if (cached) return cached;
  const key = core.key();
  const version = core.dataVersion();
  const { db } = core;
  const tokens = core.read(() =>
    db.transaction(() => {
      const shards = new Map<number, ShardContent>();
      for (const s of db.prepare('SELECT id, blob FROM token_shards').raw().all() as [number, Buffer][])
        shards.set(s[0], openShard(key, s[0], s[1]));
      const map = new Map<string, TokenSummary>();
      for (const row of db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens`).raw().all() as TokenRow[]) {
        const fields = shards.get(row[2])?.[row[0]];
        if (!fields) throw tamperedShard();
        map.set(row[0], summaryOf(row, fields));
      }
      return map;
    })(),
  );
  core.tokenCache = { tokens, version };
  return tokens;
}

/** Summaries of the rows a query selects, opening only the shards they live in (no cache). */
export function loadSummaries(core: VaultCore, sql: string, args: unknown[]): TokenSummary[] {
  const key = core.key();
  const { db } = core;
  return core.read(() =>
    db.transaction(() => {
      const rows = db.prepare(sql).raw().all(...args) as TokenRow[];
      const shards = new Map<number, ShardContent>();
      return rows.map((row) => {
        let shard = shards.get(row[2]);
        if (!shard) shards.set(row[2], (shard = readShard(core, key, row[2])));
        const fields = shard[row[0]];
        if (!fields) throw tamperedShard();
        return summaryOf(row, fields);
      });
    })(),
  );
}

export function readShard(core: VaultCore, key: Buffer, shardId: number): ShardContent {
  const row = core.db.prepare('SELECT blob FROM token_shards WHERE id = ?').get(shardId) as { blob: Buffer } | undefined;
  return row ? openShard(key, shardId, row.blob) : {};
}

/** Shard ids for `n` new tokens: fill partly used shards first, then open new ones. Inside a write. */
export function pickShard(core: VaultCore, n: number): number[] {
  const { db } = core;
  const open = db.prepare('SELECT id, count FROM token_shards WHERE count < ? ORDER BY count DESC, id').all(SHARD_SIZE) as {
    id: number;
    count: number;
  }[];
  let nextId = ((db.prepare('SELECT max(id) FROM token_shards').pluck().get() as number | null) ?? 0) + 1;
  const out: number[] = [];
  for (const s of open) {
    for (let c = s.count; c < SHARD_SIZE && out.length < n; c++) out.push(s.id);
    if (out.length >= n) return out;
  }
  while (out.length < n) {
    for (let c = 0; c < SHARD_SIZE && out.length < n; c++) out.push(nextId);
    nextId++;
  }
  return out;
}

/** Applies per-shard changes (null = remove): re-read, re-seal and write each touched shard once. Inside a write. */
export function rewriteShards(core: VaultCore, key: Buffer, changes: ShardChanges): void {
  const { db } = core;
  const upsert = db.prepare(
    `INSERT INTO token_shards (id, gen, count, blob) VALUES (?, 1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET gen = gen + 1, count = excluded.count, blob = excluded.blob`,
  );
  for (const [shardId, entries] of changes) {
    const content = readShard(core, key, shardId);
    for (const [id, fields] of entries) {
      if (fields === null) delete content[id];
      else content[id] = fields;
    }
    const count = Object.keys(content).length;
    if (count === 0) db.prepare('DELETE FROM token_shards WHERE id = ?').run(shardId);
    else upsert.run(shardId, count, sealShard(key, shardId, content));
  }
}

// Compiled once per connection: preparing it for each row cost ~0.1 ms, a second per 10,000 imported tokens.
const insertStatements = new WeakMap<VaultCore['db'], Statement<unknown[]>>();

/** The clear row of a new token (its fields go to the shard through rewriteShards). Inside a write. */
export function insertTokenRow(core: VaultCore, key: Buffer, s: TokenSummary, shardId: number, secret: string | null): void {
  const values = clearValues(s);
  let insert = insertStatements.get(core.db);
  if (!insert)
    insertStatements.set(
      core.db,
      (insert = core.db.prepare(
        `INSERT INTO tokens (id, remote_id, status, created_at, expires_at, last_used_at, usage_count, rotate_every_days,
         rotation_basis, last_rotated_at, warning_days, snoozed_until, replaced_by_id, replaces_id, updated_at,
         workspace_id, shard_id, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )),
    );
  insert.run(
      ...values,
      s.updatedAt,
      s.workspaceId,
      shardId,
      secret === null ? null : sealText(key, secret, aad('tokens', s.id, 'secret')),
    );
}
