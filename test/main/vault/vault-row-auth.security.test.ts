import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReminderService } from '../../../src/main/use-cases/reminder-service';
import { noKeychain, Vault } from '../../../src/main/vault';
import { ensureCliBuilt, runCli } from '../../cli/cli-process';
import { newVault, PASSWORD, tempDirs } from './vault-support';

/**
 * Issue 10 item 7: every row is authenticated whole. An edited clear column, a replayed ciphertext or a row (or a
 * block of token names) rolled back to an older copy of itself is a typed `vault-tampered` naming the row, never a
 * silent answer and never a crash. Rolling back the WHOLE file is out of scope (README, security model).
 */
const tmp = tempDirs();
const DAY = 86_400_000;

async function seeded(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'gitlab', name: 'gl', baseUrl: 'https://gitlab.example', adminCredential: 'glpat-admin-old' });
  const other = v.workspaces.create({ kind: 'manual', name: 'other' });
  const t = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', remoteId: 'pat:41', secret: 'pre-rotation-secret', expiresAt: new Date(Date.now() + 2 * DAY).toISOString() });
  const u = v.tokens.insert({ workspaceId: ws.id, name: 'neighbour', secret: 'neighbour-secret' });
  return { v, ws, other, t, u, path: join(dir, 'vault.db') };
}

/** Runs SQL on the closed vault file, as someone holding a copy of it would. */
function tamper(path: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path);
  fn(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function unlocked(path: string): Promise<Vault> {
  const v = Vault.open(path, { keychain: noKeychain });
  await v.keys.unlockWithPassword(PASSWORD);
  return v;
}

const tampered = (id: string) => expect.objectContaining({ code: 'vault-tampered', message: expect.stringContaining(id) });

describe('issue 10 item 7: replayed ciphertext', () => {
  it('an old secret copied back into its own row is refused (not the revoked pre-rotation secret with exit 0)', async () => {
    const { v, t, path } = await seeded(tmp());
    const db0 = new Database(path, { readonly: true });
    const old = db0.prepare('SELECT secret FROM tokens WHERE id = ?').pluck().get(t.id) as Buffer;
    db0.close();
    v.tokens.setSecret(t.id, 'post-rotation-secret');
    v.close();
    tamper(path, (db) => db.prepare('UPDATE tokens SET secret = ? WHERE id = ?').run(old, t.id));
    const again = await unlocked(path);
    expect(() => again.tokens.readSecret(t.id)).toThrow(tampered(t.id));
    again.close();
    ensureCliBuilt();
    const run = await runCli(['get', t.id], { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('pre-rotation-secret');
    expect(run.stderr).toMatch(/changed outside Token Vault/);
  });

  it('an old admin credential copied back into its workspace row is refused', async () => {
    const { v, ws, path } = await seeded(tmp());
    const db0 = new Database(path, { readonly: true });
    const old = db0.prepare('SELECT admin_credential FROM workspaces WHERE id = ?').pluck().get(ws.id) as Buffer;
    db0.close();
    v.workspaces.update(ws.id, { adminCredential: 'glpat-admin-new' });
    v.close();
    tamper(path, (db) => db.prepare('UPDATE workspaces SET admin_credential = ? WHERE id = ?').run(old, ws.id));
    const again = await unlocked(path);
    expect(() => again.workspaces.connection(ws.id)).toThrow(tampered(ws.id));
    expect(() => again.workspaces.list()).toThrow(tampered(ws.id));
    again.close();
  });

  it('a whole token row and its block of names rolled back to an older copy are refused', async () => {
    const { v, t, path } = await seeded(tmp());
    const db0 = new Database(path, { readonly: true });
    const oldRow = db0.prepare('SELECT * FROM tokens WHERE id = ?').get(t.id) as Record<string, unknown>;
    const oldShard = db0.prepare('SELECT * FROM token_shards').all() as Record<string, unknown>[];
    db0.close();
    v.tokens.update(t.id, { status: 'revoked' });
    v.close();
    tamper(path, (db) => {
      const cols = Object.keys(oldRow);
      db.prepare(`UPDATE tokens SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(oldRow);
      for (const s of oldShard) db.prepare('UPDATE token_shards SET gen = @gen, count = @count, blob = @blob WHERE id = @id').run(s);
    });
    const again = await unlocked(path);
    expect(() => again.tokens.list()).toThrow(tampered(t.id));
    again.close();
  });

  it('a whole workspace row rolled back (its MAC with it) is refused', async () => {
    const { v, ws, path } = await seeded(tmp());
    const db0 = new Database(path, { readonly: true });
    const oldRow = db0.prepare('SELECT * FROM workspaces WHERE id = ?').get(ws.id) as Record<string, unknown>;
    db0.close();
    v.workspaces.update(ws.id, { name: 'gl-renamed' });
    v.close();
    tamper(path, (db) => {
      const cols = Object.keys(oldRow);
      db.prepare(`UPDATE workspaces SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(oldRow);
    });
    const again = await unlocked(path);
    expect(() => again.workspaces.list()).toThrow(tampered(ws.id));
    again.close();
  });
});

describe('issue 10 item 7: edited clear columns', () => {
  const edits: [string, (ids: { t: string; other: string }) => [string, unknown[]]][] = [
    ['workspace_id', ({ t, other }) => ['UPDATE tokens SET workspace_id = ? WHERE id = ?', [other, t]]],
    ['expires_at', ({ t }) => ['UPDATE tokens SET expires_at = ? WHERE id = ?', ['2099-01-01T00:00:00.000Z', t]]],
    ['status', ({ t }) => ["UPDATE tokens SET status = 'active' WHERE id = ? AND 1 = ?", [t, 1]]],
    ['snoozed_until', ({ t }) => ['UPDATE tokens SET snoozed_until = ? WHERE id = ?', ['2099-01-01T00:00:00.000Z', t]]],
    ['replaced_by_id', ({ t, other }) => ['UPDATE tokens SET replaced_by_id = ? WHERE id = ?', [other, t]]],
  ];
  for (const [column, sql] of edits) {
    it(`tokens.${column}: list, find and readSecret refuse, naming the token`, async () => {
      const { v, t, other, path } = await seeded(tmp());
      v.tokens.update(t.id, { status: 'revoked' });
      v.close();
      const [text, args] = sql({ t: t.id, other: other.id });
      tamper(path, (db) => db.prepare(text).run(...args));
      const again = await unlocked(path);
      expect(() => again.tokens.list()).toThrow(tampered(t.id));
      again.close();
      const cold = await unlocked(path); // nothing cached: the command line's paths
      expect(() => cold.tokens.find(t.id)).toThrow(tampered(t.id));
      expect(() => cold.tokens.readSecret(t.id)).toThrow(tampered(t.id));
      expect(() => cold.tokens.search('deploy')).toThrow(tampered(t.id));
      cold.close();
    });
  }

  it('reminders: counted from clear columns while locked (they cannot be checked without the key), re-checked on unlock', async () => {
    const { v, t, path } = await seeded(tmp());
    v.close();
    // Hide the expiring token from the reminders.
    tamper(path, (db) => db.prepare('UPDATE tokens SET expires_at = NULL WHERE id = ?').run(t.id));
    const locked = Vault.open(path, { keychain: noKeychain });
    const reminders = new ReminderService({ vault: () => locked });
    expect(reminders.summary().counts.total).toBe(0);
    await locked.keys.unlockWithPassword(PASSWORD);
    expect(() => reminders.summary()).toThrow(tampered(t.id));
    locked.close();
  });

  it('workspace kind, rotation policy and sync columns: refused, naming the workspace', async () => {
    for (const sql of ["UPDATE workspaces SET kind = 'manual' WHERE id = ?", 'UPDATE workspaces SET rotate_every_days = 9999 WHERE id = ?', "UPDATE workspaces SET last_sync_error_code = 'x' WHERE id = ?"]) {
      const { v, ws, path } = await seeded(tmp());
      v.close();
      tamper(path, (db) => db.prepare(sql).run(ws.id));
      const again = await unlocked(path);
      expect(() => again.workspaces.list()).toThrow(tampered(ws.id));
      again.close();
    }
  });

  it('a rotation journal step edited (awaiting-confirmation -> revoke-requested) is refused', async () => {
    const { v, t, path } = await seeded(tmp());
    const entry = v.journal.put({ tokenId: t.id, step: 'awaiting-confirmation', payload: { v: 1 } });
    v.close();
    tamper(path, (db) => db.prepare("UPDATE rotation_journal SET step = 'revoke-requested'").run());
    const again = await unlocked(path);
    expect(() => again.journal.list()).toThrow(tampered(entry.id));
    again.close();
  });

  it('settings edited in the file (auto-lock off) are refused once unlocked', async () => {
    const { v, path } = await seeded(tmp());
    v.settings.update({ autoLockMinutes: 5 });
    v.close();
    tamper(path, (db) => db.prepare("UPDATE settings SET value = '0' WHERE key = 'autoLockMinutes'").run());
    const again = Vault.open(path, { keychain: noKeychain });
    await expect(again.keys.unlockWithPassword(PASSWORD)).rejects.toMatchObject({ code: 'vault-tampered', message: expect.stringMatching(/settings/i) });
    again.close();
  });
});

describe('issue 10 item 7: rows added or removed outside Token Vault', () => {
  it('a deleted token row, a deleted workspace row and an inserted token row are refused', async () => {
    {
      const { v, u, path } = await seeded(tmp());
      v.close();
      tamper(path, (db) => db.prepare('DELETE FROM tokens WHERE id = ?').run(u.id));
      const again = await unlocked(path);
      expect(() => again.tokens.list()).toThrow(tampered(u.id));
      again.close();
    }
    {
      const { v, other, path } = await seeded(tmp());
      v.close();
      tamper(path, (db) => db.prepare('DELETE FROM workspaces WHERE id = ?').run(other.id));
      const again = await unlocked(path);
      expect(() => again.workspaces.list()).toThrow(tampered(other.id));
      again.close();
    }
    {
      const { v, t, path } = await seeded(tmp());
      v.close();
      tamper(path, (db) => {
        const row = db.prepare('SELECT * FROM tokens WHERE id = ?').get(t.id) as Record<string, unknown>;
        db.prepare(`INSERT INTO tokens (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((c) => `@${c}`).join(', ')})`).run({ ...row, id: 'forged-token-id' });
      });
      const again = await unlocked(path);
      expect(() => again.tokens.list()).toThrow(tampered('forged-token-id'));
      again.close();
    }
  });

  it('the legitimate path still works after all this: a fresh vault reads, writes, reopens cleanly', async () => {
    const { v, t, u, path } = await seeded(tmp());
    v.tokens.update(t.id, { status: 'revoked', notes: 'n' });
    v.tokens.remove(u.id);
    v.close();
    const again = await unlocked(path);
    expect(again.tokens.list().map((x) => x.status)).toEqual(['revoked']);
    expect(again.tokens.readSecret(t.id)).toBe('pre-rotation-secret');
    again.close();
  });
});

describe('issue 13 (item 13): a HashiCorp Vault token accessor is not stored in a clear column', () => {
  it('the accessor is nowhere in the file in plain bytes, and sync can still find the token by it', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'vault', name: 'hcv', baseUrl: 'https://vault.example', adminCredential: 'hvs.admin' });
    const accessor = 'hvsAccessorQuokka0123456789';
    const t = v.tokens.insert({ workspaceId: ws.id, name: 'ci', remoteId: accessor });
    expect(v.tokens.findByRemoteId(ws.id, accessor)?.id).toBe(t.id);
    v.close();
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(Buffer.from(accessor)), f).toBe(false);
    const again = await unlocked(join(dir, 'vault.db'));
    expect(again.tokens.findByRemoteId(ws.id, accessor)?.id).toBe(t.id);
    expect(again.tokens.get(t.id).remoteId).toBe(accessor);
    again.close();
  });
});
