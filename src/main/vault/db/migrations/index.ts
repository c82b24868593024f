import type { Database } from 'better-sqlite3';
import { migration001Initial } from './001-initial';
import { migration002RowAuth } from './002-row-auth';
import { migration003Trash } from './003-trash';
import { migration004DeploymentTargets } from './004-deployment-targets';
import { migration005Sharing } from './005-sharing';
import { migration006TokenNameRefs } from './006-token-name-refs';
import type { Migration } from './migration';

/** Every schema step in order; a new one is appended, never edited once released. The latest is the last step's version. */
export const MIGRATIONS: readonly Migration[] = [migration001Initial, migration002RowAuth, migration003Trash, migration004DeploymentTargets, migration005Sharing, migration006TokenNameRefs];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Brings the file up to `target` (default: latest), one transaction per step so a crash leaves a whole version.
 * The caller has already refused files newer than this build.
 */
export function runMigrations(db: Database, target = LATEST_SCHEMA_VERSION): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    current = m.version;
  }
  return current;
}
