import type { Migration } from './migration';

/**
 * Deployment targets (issue 13): the places a token is deployed to. Clear: the ids, the token it belongs to and the
 * dates. Sealed, in one blob per target: the spec (paths, keys, project names say where secrets live) and the last
 * push and verify results (their messages may name those places). Authenticated row by row (db/row-auth.ts): `rev`
 * and `mac`, so an edited token_id, date or a row added, removed or copied back by hand is refused.
 */
export const migration004DeploymentTargets: Migration = {
  version: 4,
  name: 'deployment-targets',
  up(db) {
    db.exec(`
      CREATE TABLE deployment_targets (
        id TEXT PRIMARY KEY,
        token_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        record BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 0,
        mac BLOB
      ) STRICT;
      CREATE INDEX deployment_targets_by_token ON deployment_targets (token_id, created_at);
    `);
  },
};
