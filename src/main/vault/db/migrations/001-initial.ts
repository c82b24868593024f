import type { Migration } from './migration';

/** The audit log's two triggers, by name, as SQLite keeps their text (an open refuses any other: db/vault-db.ts). */
export const AUDIT_TRIGGERS: ReadonlyMap<string, string> = new Map([
  ['audit_no_update', "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"],
  ['audit_no_delete', "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"],
]);

/**
 * The first schema. Clear columns: ids, provider kind, status, dates, rotation numbers, snooze (reminders are counted
 * while the vault is locked). Everything a user wrote is sealed: a token's searchable fields live in `token_shards`
 * (a few hundred tokens per sealed blob, so unlock decrypts a handful of blobs, not one per token); each secret,
 * admin credential and provider login (column provider_session) is its own sealed field, opened only when asked for.
 */
export const migration001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE key_slots (
        kind TEXT PRIMARY KEY CHECK (kind IN ('password', 'keychain')),
        params TEXT NOT NULL,
        wrapped BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        fields BLOB NOT NULL,
        admin_credential BLOB,
        provider_session BLOB,
        rotate_every_days INTEGER,
        rotation_basis TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_sync_at TEXT,
        last_sync_error_code TEXT
      ) STRICT;
      CREATE TABLE token_shards (
        id INTEGER PRIMARY KEY,
        gen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        blob BLOB NOT NULL
      ) STRICT;
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        shard_id INTEGER NOT NULL,
        remote_id TEXT,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        last_used_at TEXT,
        usage_count INTEGER,
        rotate_every_days INTEGER,
        rotation_basis TEXT,
        last_rotated_at TEXT,
        warning_days TEXT,
        snoozed_until TEXT,
        replaced_by_id TEXT,
        replaces_id TEXT,
        updated_at TEXT NOT NULL,
        secret BLOB
      ) STRICT;
      CREATE INDEX tokens_by_workspace ON tokens (workspace_id);
      CREATE INDEX tokens_by_remote_id ON tokens (workspace_id, remote_id) WHERE remote_id IS NOT NULL;
      CREATE INDEX tokens_by_shard ON tokens (shard_id);
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        token_id TEXT,
        workspace_id TEXT,
        actor TEXT NOT NULL,
        detail BLOB
      ) STRICT;
      CREATE INDEX audit_by_token ON audit (token_id, seq);
      CREATE INDEX audit_by_workspace ON audit (workspace_id, seq);
      ${[...AUDIT_TRIGGERS.values()].join(';\n      ')};
      CREATE TABLE rotation_journal (
        id TEXT PRIMARY KEY,
        token_id TEXT NOT NULL,
        step TEXT NOT NULL,
        payload BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX rotation_journal_by_token ON rotation_journal (token_id);
      CREATE TABLE notifications_sent (
        token_id TEXT NOT NULL,
        threshold TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (token_id, threshold)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `);
  },
};
