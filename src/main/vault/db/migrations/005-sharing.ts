import type { Migration } from './migration';

/**
 * Sharing over git (issue 14): this device's keys, the shares it takes part in, the per-record sync state of each
 * share, the "two secrets" candidates and the "member removed" marks. What the sharing engine needs to list cheaply
 * is clear (ids, dates, error codes, the token ids of a removal: ids are clear everywhere); everything else is sealed
 * with the data key (private keys, team names, remotes, the engine's bookkeeping, version digests, history values,
 * secret candidates, member names).
 *
 * Per-record sync states are kept in blocks (`share_blocks`, a few hundred records per sealed blob, like the token
 * summary shards): a share of 10,000 records is a few dozen rows, so listing it decrypts a handful of blobs and a
 * sync that changed one record re-seals two blocks. `part` 'refs' holds the small facts every sync lists (kind,
 * revision, git blob, deleted); 'states' the version digests and history, read only for the records that changed.
 * Every table has `rev` and `mac` for row authentication.
 */
export const migration005Sharing: Migration = {
  version: 5,
  name: 'sharing',
  up(db) {
    db.exec(`
      CREATE TABLE share_device (
        id TEXT PRIMARY KEY CHECK (id = 'device'),
        created_at TEXT NOT NULL,
        keys BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE TABLE shares (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        last_sync_at TEXT,
        last_error_code TEXT,
        state BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE TABLE share_blocks (
        id TEXT PRIMARY KEY,
        share_id TEXT NOT NULL,
        part TEXT NOT NULL CHECK (part IN ('refs', 'states')),
        slot INTEGER NOT NULL,
        blob BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE INDEX share_blocks_by_share ON share_blocks (share_id, part);
      CREATE TABLE share_conflicts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('workspace', 'token')),
        candidates BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE TABLE share_removals (
        id TEXT PRIMARY KEY,
        share_id TEXT NOT NULL,
        at TEXT NOT NULL,
        token_ids TEXT NOT NULL,
        member BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
    `);
  },
};
