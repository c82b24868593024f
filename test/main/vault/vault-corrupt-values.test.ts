import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReminderService } from '../../../src/main/use-cases/reminder-service';
import { noKeychain, Vault } from '../../../src/main/vault';
import { ensureCliBuilt, runCli } from '../../cli/cli-process';
import { newVault, PASSWORD, tempDirs } from './vault-support';

/**
 * Issue 10 item 10: corrupt values in the file give typed errors, never "unexpected failure (SyntaxError)", and
 * reading a damaged file never writes to it (today a changed vault_id records a failed unlock).
 */
const tmp = tempDirs();
const open = (path: string) => Vault.open(path, { keychain: noKeychain });

/** Every byte of the vault's files (the database, its WAL and shared memory), to prove nothing was written. */
const bytesOf = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

/** Every row of every table, to prove nothing was recorded (a WAL may be checkpointed by a read-only open). */
function rowsOf(path: string): string {
  const db = new Database(path, { readonly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const out = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all(), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
  db.close();
  return out.join('\n');
}

async function seeded(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'manual', name: 'ops' });
  const t = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'corrupt-values-secret', expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
  v.close();
  const path = join(dir, 'vault.db');
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { path, tokenId: t.id };
}

function edit(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path);
  db.prepare(sql).run(...args);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('issue 10 item 10: corrupt values are typed errors and nothing is written', () => {
  it('a changed vault_id: vault-tampered with the right password, no failed unlock recorded, no row changed', async () => {
    const dir = tmp();
    const { path } = await seeded(dir);
    edit(path, "UPDATE meta SET value = '00000000-0000-4000-8000-000000000000' WHERE key = 'vault_id'");
    const before = rowsOf(path);
    const v = open(path);
    await expect(v.keys.unlockWithPassword(PASSWORD)).rejects.toMatchObject({ code: 'vault-tampered' });
    v.close();
    expect(rowsOf(path)).toBe(before);
  });

  it('a format-1 vault (before row authentication): a typed refusal, and not a byte written (no half migration)', async () => {
    const dir = tmp();
    const { path } = await seeded(dir);
    const db = new Database(path);
    db.pragma('user_version = 1');
    db.close();
    const before = bytesOf(dir);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'unsupported', message: expect.stringMatching(/format 1/) }));
    expect(bytesOf(dir)).toEqual(before);
  });

  it('user_version = 0 on a vault file: vault-corrupt, and not a byte written', async () => {
    const dir = tmp();
    const { path } = await seeded(dir);
    const db = new Database(path);
    db.pragma('user_version = 0');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = bytesOf(dir);
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    expect(bytesOf(dir)).toEqual(before);
  });

  it('a folder at the vault path: a typed error, not EISDIR', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'vault.db'));
    expect(() => open(join(dir, 'vault.db'))).toThrow(expect.objectContaining({ code: expect.stringMatching(/^vault-|invalid-argument/) }));
  });

  it('a dangling symlink at the vault path: open and create give typed errors and create nothing', async () => {
    const dir = tmp();
    const link = join(dir, 'vault.db');
    symlinkSync(join(dir, 'gone', 'vault.db'), link);
    expect(() => open(link)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^vault-|invalid-argument/) }));
    await expect(Vault.create(link, { password: PASSWORD, useKeychain: false, keychain: noKeychain })).rejects.toMatchObject({ code: expect.stringMatching(/^vault-|invalid-argument/) });
    expect(readdirSync(dir)).toEqual(['vault.db']);
  });

  for (const [what, column, value] of [
    ['warning_days that are not JSON', 'warning_days', 'abc'],
    ['warning_days that are not days', 'warning_days', '["x", -1]'],
    ['an expiry that is not a date', 'expires_at', 'not a date'],
    ['a status that does not exist', 'status', 'exploded'],
  ] as const) {
    it(`${what}: typed errors naming the token, locked (reminders) and unlocked (list); nothing written`, async () => {
      const dir = tmp();
      const { path, tokenId } = await seeded(dir);
      edit(path, `UPDATE tokens SET ${column} = ?`, value);
      const before = bytesOf(dir);
      const v = open(path);
      const reminders = new ReminderService({ vault: () => v });
      expect(() => reminders.summary()).toThrow(expect.objectContaining({ code: expect.stringMatching(/vault-(corrupt|tampered)/), message: expect.stringContaining(tokenId) }));
      v.close();
      expect(bytesOf(dir)).toEqual(before);
      const u = open(path);
      await u.keys.unlockWithPassword(PASSWORD);
      expect(() => u.tokens.list()).toThrow(expect.objectContaining({ code: expect.stringMatching(/vault-(corrupt|tampered)/), message: expect.stringContaining(tokenId) }));
      u.close();
    });
  }

  it('the command line says so with exit 1, never "unexpected failure"', async () => {
    ensureCliBuilt();
    const dir = tmp();
    const { path } = await seeded(dir);
    edit(path, 'UPDATE tokens SET warning_days = ?', 'abc');
    const envs: Record<string, string>[] = [{ TOKEN_VAULT_PATH: path }, { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD }];
    for (const env of envs) {
      const run = await runCli(['reminders'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/unexpected failure/);
      expect(run.stderr).toMatch(/vault/);
    }
  });

  it('a settings value that is not JSON falls back to the defaults while locked (no SyntaxError)', async () => {
    const dir = tmp();
    const { path } = await seeded(dir);
    edit(path, "INSERT INTO settings (key, value) VALUES ('autoLockMinutes', '{oops')");
    const v = open(path);
    expect(v.settings.get().autoLockMinutes).toBeGreaterThan(0);
    v.close();
  });
});
