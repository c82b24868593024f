import type { SealedFields, ShardEntry } from './summary-shards';
import type { VaultCore } from '../db/vault-core';
import { fieldsOf, summaryOf } from './token-rows';
import { cachedTokens, readShard } from './token-store';
import type { TokenSummary } from '../db/vault-types';
import { freshWorkspaces } from '../workspaces/workspace-records';

/** Case-insensitive substring over name, workspace name, description, prefix, type, scopes, URL and notes. */
export function searchTokens(core: VaultCore, query: string): TokenSummary[] {
  const q = query.toLowerCase();
  const wsHit = new Set<string>();
  for (const ws of freshWorkspaces(core).values()) if (ws.name.toLowerCase().includes(q)) wsHit.add(ws.id);
  const cache = cachedTokens(core);
  if (cache) {
    const out: TokenSummary[] = [];
    for (const t of cache.values()) if (wsHit.has(t.workspaceId) || fieldsMatch(fieldsOf(t), q)) out.push(t);
    return out;
  }
  // Nothing in memory (the command line): shard by shard, each checked against its rows, keeping only the hits.
  const { db } = core;
  return core.read(() =>
    db.transaction(() => {
      const shardIds = new Set<number>([
        ...(db.prepare('SELECT id FROM token_shards').pluck().all() as number[]),
        ...(db.prepare('SELECT DISTINCT shard_id FROM tokens').pluck().all() as number[]),
        ...Object.keys(core.manifest().revs['token_shards'] ?? {}).map(Number),
      ]);
      const out: TokenSummary[] = [];
      for (const shardId of shardIds) {
        const { rows, content } = readShard(core, shardId);
        for (const row of rows) {
          const fields = (content[row[0]] as ShardEntry).slice(0, 8) as SealedFields;
          if (wsHit.has(row[1]) || fieldsMatch(fields, q)) out.push(summaryOf(row, fields));
        }
      }
      return out;
    })(),
  );
}

/** The searchable fields: all but the remote id (index 7). */
function fieldsMatch(f: SealedFields, q: string): boolean {
  for (let i = 0; i < 7; i++) {
    const v = f[i];
    if (typeof v === 'string') {
      if (v.toLowerCase().includes(q)) return true;
    } else if (Array.isArray(v) && v.some((x) => x.toLowerCase().includes(q))) return true;
  }
  return false;
}
