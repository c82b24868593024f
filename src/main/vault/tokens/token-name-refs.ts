import type { VaultCore } from '../db/vault-core';
import { tamperedToken } from './token-rows';
import { cacheWritten, nameRefOf, ShardWrite } from './token-store';

const UNNAMED = 'SELECT id, workspace_id, shard_id FROM tokens WHERE name_ref IS NULL';

/**
 * Gives each token written before migration 006 (or by a format-1 upgrade) its keyed name hash, once, at the first
 * unlock: the shards of those rows are checked before and sealed again after, with the rows' new canonical text.
 * Best effort: a block holding a row without one has no name filter and is always read, and a vault this process
 * cannot write now (read-only file, another writer holding it) is filled at a later unlock.
 */
export function fillNameRefs(core: VaultCore): void {
  try {
    if (core.read(() => core.prepared(`${UNNAMED} LIMIT 1`).get()) === undefined) return;
    let canon = new Map<string, string>();
    core.write(() => {
      const rows = core.prepared(UNNAMED).raw().all() as [string, string, number][];
      const shards = new ShardWrite(core);
      for (const [, , shardId] of rows) shards.touch(shardId);
      const update = core.prepared('UPDATE tokens SET name_ref = ? WHERE id = ?');
      for (const [id, workspaceId, shardId] of rows) {
        const name = shards.fields(shardId).get(id)?.[0];
        if (name === undefined) throw tamperedToken(id, 'is not in its block of names');
        update.run(nameRefOf(core, workspaceId, name), id);
      }
      canon = shards.flush();
    });
    cacheWritten(core, [], canon);
  } catch {
    // Left for a later unlock; reads are unaffected (see above), and a tampered row is refused where it is read.
  }
}
