import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, TRASH_KEEP_DAYS, Vault } from '../../../src/main/vault';
import { newVault, PASSWORD, reopen, tempDirs } from './vault-support';

/**
 * Issue 12, defect 3: a delete goes to a trash kept 30 days; a restore brings back the token or the workspace whole
 * (same id, names, dates, policy, secret, credential); the secret stays encrypted while in the trash.
 */
const tmp = tempDirs();
const DAY = 86_400_000;
const SECRET = 'trash-me-SECRET-0123456789';

/** Every byte of the vault's files (db, WAL): a secret must never appear in them in clear. */
function fileBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
}

describe('the trash', () => {
  it('a trashed token keeps its deployment targets through a restore; purged, they go with it and free the place', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
    const place = { kind: 'dotenv', path: '/srv/app/.env', key: 'DEPLOY_TOKEN' } as const;
    const t = v.tokens.insert({ workspaceId: ws.id, name: 'ci', secret: SECRET });
    v.targets.add(t.id, place, 'test');
    const restored = v.trash.restore(v.trash.trashToken(t.id).id);
    expect(restored).toMatchObject({ id: t.id });
    expect(v.targets.list(t.id)).toHaveLength(1);
    v.trash.purge([v.trash.trashToken(t.id).id]);
    expect(v.targets.list()).toEqual([]);
    const other = v.tokens.insert({ workspaceId: ws.id, name: 'ci-2', secret: SECRET });
    expect(v.targets.add(other.id, place, 'test')).toMatchObject({ tokenId: other.id });
    v.close();
  });

  it('a trashed token leaves every list and search, keeps its secret sealed, and comes back whole', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
    const t = v.tokens.insert({ workspaceId: ws.id, name: 'publisher', description: 'CI', secret: SECRET, expiresAt: '2031-01-01T00:00:00.000Z', rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } });
    const entry = v.trash.trashToken(t.id, { actor: 'test' });
    expect(entry).toMatchObject({ kind: 'token', originalId: t.id, name: 'publisher', workspaceName: 'acme', tokenCount: 1, secretCount: 1 });
    expect(Date.parse(entry.purgeAt) - Date.parse(entry.deletedAt)).toBe(TRASH_KEEP_DAYS * DAY);
    expect(v.tokens.find(t.id)).toBeUndefined();
    expect(v.tokens.search('publisher')).toEqual([]);
    expect(v.tokens.reminderFacts().map((f) => f.id)).not.toContain(t.id);
    v.close();
    expect(fileBytes(dir).includes(Buffer.from(SECRET))).toBe(false);
    expect(fileBytes(dir).includes(Buffer.from('publisher'))).toBe(false);

    const again = await reopen(join(dir, 'vault.db'));
    expect(again.trash.list()).toEqual([entry]);
    const out = again.trash.restore(entry.id, { actor: 'test' });
    expect(out).toEqual({ kind: 'token', id: t.id, name: 'publisher', workspaceName: 'acme', tokenCount: 1 });
    expect(again.tokens.get(t.id)).toMatchObject({ name: 'publisher', description: 'CI', expiresAt: '2031-01-01T00:00:00.000Z', rotationPolicy: { rotateEveryDays: 90, basis: 'issue' }, createdAt: t.createdAt, hasSecret: true });
    expect(again.tokens.readSecret(t.id)).toBe(SECRET);
    expect(again.trash.list()).toEqual([]);
    expect(again.audit.list({ tokenId: t.id }).map((a) => a.action)).toEqual(['restored', 'trashed', 'created']);
    again.close();
  });

  it('a restore refuses a name taken meanwhile and never overwrites: the entry stays in the trash', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
    const first = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'old-secret' });
    const entry = v.trash.trashToken(first.id);
    const second = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'new-secret' });
    expect(() => v.trash.restore(entry.id)).toThrow(expect.objectContaining({ code: 'already-exists', message: expect.stringMatching(/acme has a token named "deploy" again/) }));
    expect(v.tokens.list().map((t) => t.id)).toEqual([second.id]);
    expect(v.tokens.readSecret(second.id)).toBe('new-secret');
    expect(v.trash.list().map((e) => e.id)).toEqual([entry.id]);
    // A name differing only in case is another name for tokens (as when one is added)...
    v.tokens.update(second.id, { name: 'Deploy' });
    expect(v.trash.restore(entry.id)).toMatchObject({ name: 'deploy' });
    expect(v.tokens.readSecret(first.id)).toBe('old-secret');
    // ...but not for workspaces.
    const gone = v.trash.trashWorkspace(ws.id);
    v.workspaces.create({ kind: 'manual', name: 'ACME' });
    expect(() => v.trash.restore(gone.id)).toThrow(expect.objectContaining({ code: 'already-exists', message: expect.stringMatching(/"ACME" exists again/) }));
    expect(v.trash.list().map((e) => e.id)).toEqual([gone.id]);
    v.close();
  });

  it('a workspace goes with its tokens and credential as one entry; its tokens wait for it', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'gitlab', name: 'gl', baseUrl: 'https://gitlab.example', adminCredential: 'glpat-ADMIN-credential-xyz' });
    const a = v.tokens.insert({ workspaceId: ws.id, name: 'a', secret: 'secret-a', remoteId: '11' });
    v.tokens.insert({ workspaceId: ws.id, name: 'b', remoteId: '12' });
    const lone = v.trash.trashToken(a.id);
    const entry = v.trash.trashWorkspace(ws.id);
    expect(entry).toMatchObject({ kind: 'workspace', name: 'gl', tokenCount: 1, secretCount: 0, providerKind: 'gitlab' });
    expect(v.workspaces.list()).toEqual([]);
    expect(v.tokens.list()).toEqual([]);
    expect(v.trash.remoteIds(ws.id)).toEqual(new Set(['11', '12']));
    expect(() => v.trash.restore(lone.id)).toThrow(/Its workspace is in the trash too: restore the workspace first/);
    v.close();
    expect(fileBytes(dir).includes(Buffer.from('glpat-ADMIN-credential-xyz'))).toBe(false);

    const again = await reopen(join(dir, 'vault.db'));
    expect(again.trash.restore(entry.id)).toMatchObject({ kind: 'workspace', id: ws.id, name: 'gl', tokenCount: 1 });
    expect(again.workspaces.get(ws.id)).toMatchObject({ name: 'gl', baseUrl: 'https://gitlab.example', hasAdminCredential: true });
    expect(again.workspaces.connection(ws.id).adminCredential).toBe('glpat-ADMIN-credential-xyz');
    expect(again.trash.restore(lone.id)).toMatchObject({ kind: 'token', id: a.id });
    expect(again.tokens.readSecret(a.id)).toBe('secret-a');
    expect(again.tokens.list({ workspaceId: ws.id }).map((t) => t.name).sort()).toEqual(['a', 'b']);
    again.close();
  });

  it('is purged after 30 days, not before; emptying deletes at once', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
    const now = new Date('2030-01-01T00:00:00Z');
    const e1 = v.trash.trashToken(v.tokens.insert({ workspaceId: ws.id, name: 'one', secret: 's1' }).id, { now });
    v.trash.trashToken(v.tokens.insert({ workspaceId: ws.id, name: 'two', secret: 's2' }).id, { now: new Date(now.getTime() + 10 * DAY) });
    expect(v.trash.purgeExpired(new Date(now.getTime() + 29 * DAY))).toBe(0);
    expect(v.trash.purgeExpired(new Date(now.getTime() + 30 * DAY))).toBe(1);
    expect(v.trash.list().map((e) => e.name)).toEqual(['two']);
    expect(() => v.trash.restore(e1.id)).toThrow(/not found/);
    expect(v.trash.purge(v.trash.list().map((e) => e.id))).toBe(1);
    expect(v.trash.list()).toEqual([]);
    v.close();
  });

  it('refuses to trash a token whose rotation is unfinished', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
    const t = v.tokens.insert({ workspaceId: ws.id, name: 'rotating', secret: 's' });
    v.journal.put({ tokenId: t.id, step: 'created', payload: {} });
    expect(() => v.trash.trashToken(t.id)).toThrow(expect.objectContaining({ code: 'rotation-in-progress' }));
    expect(() => v.trash.trashWorkspace(ws.id)).toThrow(expect.objectContaining({ code: 'rotation-in-progress' }));
    expect(v.tokens.get(t.id).name).toBe('rotating');
    v.close();
  });
});

/** Runs SQL on the closed vault file, as someone holding a copy of it would. */
function tamper(path: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path);
  fn(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const tampered = (id: string) => expect.objectContaining({ code: 'vault-tampered', message: expect.stringContaining(id) });

/** A vault with two trash entries (a token, deleted 40 days ago, and a workspace), closed. */
async function trashed(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
  const gone = v.workspaces.create({ kind: 'manual', name: 'gone' });
  v.tokens.insert({ workspaceId: gone.id, name: 'with-it', secret: 'ws-secret' });
  const old = v.trash.trashToken(v.tokens.insert({ workspaceId: ws.id, name: 'old', secret: SECRET, remoteId: 'r-1' }).id, { now: new Date(Date.now() - 40 * DAY) });
  const wsEntry = v.trash.trashWorkspace(gone.id);
  v.close();
  return { path: join(dir, 'vault.db'), ws, old, wsEntry };
}

describe('the trash, authenticated row by row (issue 10 item 7)', () => {
  it('a trash row edited by hand (its date moved) is vault-tampered: not listed, restored or purged', async () => {
    const { path, old, wsEntry } = await trashed(tmp());
    // Moving the deletion date back would purge a workspace's secrets early; forward would keep one past its 30 days.
    tamper(path, (db) => db.prepare('UPDATE trash SET deleted_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', wsEntry.id));
    const again = await reopen(path);
    expect(() => again.trash.list()).toThrow(tampered(wsEntry.id));
    expect(() => again.trash.restore(wsEntry.id)).toThrow(tampered(wsEntry.id));
    expect(() => again.trash.purgeExpired()).toThrow(tampered(wsEntry.id));
    // The untouched entry still restores.
    expect(again.trash.restore(old.id)).toMatchObject({ kind: 'token', name: 'old' });
    again.close();
  });

  it("a trash row's remote ids edited by hand (a sync would bring back, or hide, a token) is vault-tampered", async () => {
    const { path, ws, old } = await trashed(tmp());
    tamper(path, (db) => db.prepare('UPDATE trash SET remote_ids = ? WHERE id = ?').run('[]', old.id));
    const again = await reopen(path);
    expect(() => again.trash.remoteIds(ws.id)).toThrow(tampered(old.id));
    again.close();
  });

  it('a trash row deleted by hand is vault-tampered (missing), and one copied back from an older file too', async () => {
    const dir = tmp();
    const { path, old, wsEntry } = await trashed(dir);
    const before = new Database(path, { readonly: true });
    const row = before.prepare('SELECT * FROM trash WHERE id = ?').get(old.id) as Record<string, unknown>;
    before.close();
    tamper(path, (db) => db.prepare('DELETE FROM trash WHERE id = ?').run(old.id));
    const again = await reopen(path);
    expect(() => again.trash.list()).toThrow(tampered(old.id));
    expect(() => again.trash.restore(old.id)).toThrow(tampered(old.id));
    again.close();

    // Purged for real, then the old row put back (the secret it seals would come back with it): refused.
    tamper(path, (db) => {
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO trash (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
    });
    const third = await reopen(path);
    expect(third.trash.purge([old.id])).toBe(1);
    third.close();
    tamper(path, (db) => {
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO trash (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
    });
    const fourth = await reopen(path);
    expect(() => fourth.trash.list()).toThrow(tampered(old.id));
    expect(() => fourth.trash.restore(old.id)).toThrow(tampered(old.id));
    expect(fourth.trash.restore(wsEntry.id)).toMatchObject({ kind: 'workspace', name: 'gone' });
    fourth.close();
  });

  it('one entry\'s sealed payload copied over another\'s is vault-tampered', async () => {
    const { path, old, wsEntry } = await trashed(tmp());
    tamper(path, (db) => db.prepare('UPDATE trash SET payload = (SELECT payload FROM trash WHERE id = ?) WHERE id = ?').run(wsEntry.id, old.id));
    const again = await reopen(path);
    expect(() => again.trash.restore(old.id)).toThrow(tampered(old.id));
    again.close();
  });

  it('passwd re-keys the trash: after it, every entry lists and restores whole under the new password', async () => {
    const { path, old, wsEntry } = await trashed(tmp());
    const v = await reopen(path);
    const listed = v.trash.list();
    await v.keys.changePassword('a brand new passphrase', CHEAP_SCRYPT);
    expect(v.trash.list()).toEqual(listed);
    v.close();
    const again = Vault.open(path, { keychain: noKeychain });
    await expect(again.keys.unlockWithPassword(PASSWORD)).rejects.toThrow();
    await again.keys.unlockWithPassword('a brand new passphrase');
    expect(again.trash.list()).toEqual(listed);
    expect(again.trash.restore(wsEntry.id)).toMatchObject({ kind: 'workspace', name: 'gone', tokenCount: 1 });
    expect(again.trash.restore(old.id)).toMatchObject({ kind: 'token', name: 'old' });
    const restored = again.tokens.list().find((t) => t.name === 'old')!;
    expect(again.tokens.readSecret(restored.id)).toBe(SECRET);
    const withIt = again.tokens.list().find((t) => t.name === 'with-it')!;
    expect(again.tokens.readSecret(withIt.id)).toBe('ws-secret');
    again.close();
  });
});
