import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, runMigrations } from '../../../../../src/main/vault/db/migrations';

const dir = mkdtempSync(join(tmpdir(), 'tv-mig4-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 004: deployment targets', () => {
  it('adds the table after row authentication: ids, token and dates clear, everything else in one sealed record, rev and mac', () => {
    const db = new Database(join(dir, 'm.db'));
    expect(runMigrations(db, 2)).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'deployment_targets'").get()).toBeUndefined();
    expect(runMigrations(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('deployment_targets')).toEqual(['id', 'token_id', 'created_at', 'updated_at', 'record', 'rev', 'mac']);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deployment_targets'").pluck().all()).toContain('deployment_targets_by_token');
    db.close();
  });
});
