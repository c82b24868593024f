import type { Migration } from './migration';

/**
 * The trash (issue 12): a deleted token, or a workspace with its tokens, kept for TRASH_KEEP_DAYS. `label` (what lists
 * show) and `payload` (everything a restore needs, secrets included) are sealed; the deletion date is clear so the purge
 * (deleted_at older than TRASH_KEEP_DAYS, the rule in code, not a stored date) finds what is due without opening an
 * entry, and the remote ids are clear (as in `tokens`) so a sync does not bring back what was deleted. Like every table
 * since 002, each row is authenticated whole (`rev`, `mac`: db/row-auth.ts), so an edited date, a copied-in payload or a
 * deleted entry is refused as tampering.
 */
export const migration003Trash: Migration = {
  version: 3,
  name: 'trash',
  up(db) {
    db.exec(`
      CREATE TABLE trash (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('token', 'workspace')),
        original_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        remote_ids TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        label BLOB NOT NULL,
        payload BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE INDEX trash_by_workspace ON trash (workspace_id);
      CREATE INDEX trash_by_age ON trash (deleted_at);
    `);
  },
};
