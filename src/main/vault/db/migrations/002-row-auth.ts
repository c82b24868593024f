import type { Migration } from './migration';

/**
 * Every row authenticated whole (issue 10, see db/row-auth.ts): `rev` and `mac` on the tables authenticated row by
 * row, `secret_rev` (the secret's generation, part of its AAD) and `remote_ref` (a keyed hash of the service's id,
 * which is now sealed in the token's shard) on tokens, and the sealed manifest that vouches for every row.
 * `tokens.remote_id` stays only for the one-time upgrade of a format-1 vault, which moves it into the shards at the
 * first unlock (the key is needed) and clears it.
 */
export const migration002RowAuth: Migration = {
  version: 2,
  name: 'row-auth',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN remote_ref TEXT;
      ALTER TABLE tokens ADD COLUMN secret_rev INTEGER NOT NULL DEFAULT 0;
      DROP INDEX tokens_by_remote_id;
      CREATE INDEX tokens_by_remote_ref ON tokens (workspace_id, remote_ref) WHERE remote_ref IS NOT NULL;
      ALTER TABLE workspaces ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE workspaces ADD COLUMN mac BLOB;
      ALTER TABLE rotation_journal ADD COLUMN owner TEXT;
      ALTER TABLE rotation_journal ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE rotation_journal ADD COLUMN mac BLOB;
      ALTER TABLE audit ADD COLUMN mac BLOB;
      CREATE TABLE manifest (id INTEGER PRIMARY KEY CHECK (id = 1), blob BLOB NOT NULL) STRICT;
    `);
  },
};
