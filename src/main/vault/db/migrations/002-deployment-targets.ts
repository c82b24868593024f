import type { Migration } from './migration';

/**
 * Deployment targets (issue 13): the places a token is deployed to. Clear: the ids, the token it belongs to and the
 * dates. Sealed, in one blob per target: the spec (paths, keys, project names say where secrets live) and the last
 * push and verify results (their messages may name those places).
 */
export const migration002DeploymentTargets: Migration = {
  version: 2,
  name: 'deployment-targets',
  up(db) {
    db.exec(`
      CREATE TABLE deployment_targets (
        id TEXT PRIMARY KEY,
        token_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        record BLOB NOT NULL
      ) STRICT;
      CREATE INDEX deployment_targets_by_token ON deployment_targets (token_id, created_at);
    `);
  },
};
