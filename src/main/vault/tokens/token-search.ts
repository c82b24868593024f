import { openShardText, type SealedFields, type ShardContent } from './summary-shards';
import type { VaultCore } from '../db/vault-core';
import { fieldsOf, summaryOf, TOKEN_COLUMNS, type TokenRow } from './token-rows';
import { cachedTokens } from './token-store';
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
  // Nothing in memory (the command line): stream shard by shard, keep only the hits, read their rows alone.
  const key = core.key();
  const { db } = core;
  return core.read(() =>
    db.transaction(() => {
      const wsIds = new Set<string>();
      if (wsHit.size > 0) {
        const inWs = db.prepare('SELECT id FROM tokens WHERE workspace_id = ?').pluck();
        for (const w of wsHit) for (const id of inWs.all(w) as string[]) wsIds.add(id);
      }
      const hits = new Map<string, SealedFields>();
      // JSON escapes only quotes, backslashes and control characters: other queries can be tested on the raw text.
      // eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
      const rawTest = wsIds.size === 0 && !/["\\\u0000-\u001f]/.test(q);
      for (const [shardId, blob] of db.prepare('SELECT id, blob FROM token_shards').raw().iterate() as Iterable<[number, Buffer]>) {
        const text = openShardText(key, shardId, blob);
        if (rawTest && !text.toLowerCase().includes(q)) continue;
        for (const [id, f] of Object.entries(JSON.parse(text) as ShardContent))
          if (wsIds.has(id) || fieldsMatch(f, q)) hits.set(id, f);
      }
      if (hits.size === 0) return [];
      const rows = db
        .prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id IN (SELECT value FROM json_each(?))`)
        .raw()
        .all(JSON.stringify([...hits.keys()])) as TokenRow[];
      return rows.map((row) => summaryOf(row, hits.get(row[0]) as SealedFields));
    })(),
  );
}

function fieldsMatch(f: SealedFields, q: string): boolean {
  for (let i = 0; i < f.length; i++) {
    const v = f[i];
    if (typeof v === 'string') {
      if (v.toLowerCase().includes(q)) return true;
    } else if (Array.isArray(v) && v.some((x) => x.toLowerCase().includes(q))) return true;
  }
  return false;
}
