import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, runMigrations } from '../../../../../src/main/vault/db/migrations';

const dir = mkdtempSync(join(tmpdir(), 'tv-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 001: initial schema', () => {
  it('creates every table with the clear columns reminders need, and sets user_version', () => {
    const db = new Database(join(dir, 'm1.db'));
    expect(runMigrations(db, 1)).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['audit', 'key_slots', 'meta', 'notifications_sent', 'rotation_journal', 'settings', 'token_shards', 'tokens', 'workspaces']));
    const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('tokens');
    expect(cols).toEqual(expect.arrayContaining(['status', 'expires_at', 'rotate_every_days', 'snoozed_until', 'remote_id', 'secret', 'shard_id']));
    expect(cols).not.toContain('name'); // names are sealed in token_shards
    db.close();
  });

  it('is idempotent: a second run changes nothing', () => {
    const db = new Database(join(dir, 'm2.db'));
    runMigrations(db);
    const before = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all();
    expect(runMigrations(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(before);
    db.close();
  });
});
