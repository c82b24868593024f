import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noKeychain, Vault, type Keychain } from '../../../src/main/vault';
import { startAckingChild, tempDirs } from './vault-support';
import { LATEST_SCHEMA_VERSION as LATEST } from '../../../src/main/vault/db/migrations';

/**
 * A vault written by the FIRST RELEASE (format 1: no row MACs, no manifest, format-1 key slots), made by that
 * release's own code (test/fixtures/format-1/README.md), opens locked as before and is upgraded to format 2 in one
 * transaction at its first unlock: every secret reads back, a second unlock changes nothing, tampering after the
 * upgrade is caught, and kill -9 mid-upgrade leaves a format-1 file that upgrades next time.
 */
const tmp = tempDirs();
const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'format-1');
const PASSWORD = 'fixture-password-1';
const CHILD = join(import.meta.dirname, 'fixtures', 'format1-unlock-child.mjs');

interface Expected {
  ids: Record<'ws1' | 'ws2' | 't1' | 't2' | 't3' | 't4', string>;
  facts: { reminders: unknown[] };
  tokens: Record<string, unknown>[];
  workspaces: Record<string, unknown>[];
  audit: Record<string, unknown>[];
  journal: Record<string, unknown>[];
  settings: Record<string, unknown>;
  count: number;
}
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
const SECRETS: Record<string, string | null> = {
  [expected.ids.t1]: 'npm_FIXTURE_not_a_real_secret_1',
  [expected.ids.t2]: 'npm_FIXTURE_not_a_real_secret_2',
  [expected.ids.t3]: null,
  [expected.ids.t4]: 'manual-FIXTURE-secret-3',
};

function copyFixture(): string {
  const path = join(tmp(), 'vault.db');
  copyFileSync(join(FIXTURE, 'vault.db'), path);
  return path;
}

function fixtureKeychain(): Keychain {
  const store = new Map<string, string>(Object.entries(JSON.parse(readFileSync(join(FIXTURE, 'keychain.json'), 'utf8')) as Record<string, string>));
  return { isAvailable: async () => true, get: async (a) => store.get(a) ?? null, set: async (a, v) => void store.set(a, v), delete: async (a) => store.delete(a) };
}

const format = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

/** Every row of every table, as text: "nothing changed" means this is equal. */
function snapshot(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return JSON.stringify(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => r.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))]));
  } finally {
    db.close();
  }
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const TOKEN_KEYS = ['id', 'workspaceId', 'remoteId', 'name', 'description', 'prefix', 'type', 'scopes', 'url', 'notes', 'hasSecret', 'status', 'createdAt', 'expiresAt', 'snoozedUntil', 'rotationPolicy', 'warningDays', 'replacedById', 'replacesId'];

function expectEverything(v: Vault): void {
  for (const [id, secret] of Object.entries(SECRETS)) expect(v.tokens.readSecret(id), id).toBe(secret);
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));
  expect(v.tokens.list().map((t) => pick(t as unknown as Record<string, unknown>, TOKEN_KEYS)).sort(byId)).toEqual(expected.tokens.map((t) => pick(t, TOKEN_KEYS)).sort(byId));
  expect(v.tokens.findByRemoteId(expected.ids.ws1, 'remote-key-2')?.id).toBe(expected.ids.t2);
  const wsKeys = ['id', 'kind', 'name', 'baseUrl', 'rotationPolicy'];
  expect(v.workspaces.list().map((w) => pick(w as unknown as Record<string, unknown>, wsKeys)).sort(byId)).toEqual(expected.workspaces.map((w) => pick(w, wsKeys)).sort(byId));
  expect(v.audit.list().map((a) => pick(a as unknown as Record<string, unknown>, ['seq', 'action', 'tokenId', 'actor', 'detail']))).toEqual(expected.audit.map((a) => pick(a, ['seq', 'action', 'tokenId', 'actor', 'detail'])));
  expect(v.audit.verify()).toMatchObject({ ok: true });
  expect(v.journal.list().map((j) => pick(j as unknown as Record<string, unknown>, ['id', 'tokenId', 'step', 'payload']))).toEqual(expected.journal.map((j) => pick(j, ['id', 'tokenId', 'step', 'payload'])));
  expect(v.settings.get()).toMatchObject(expected.settings);
}

describe('a format-1 vault (the first release) is upgraded at its first unlock', () => {
  it('opens locked without a byte written: reminders, counts and settings match the old release', () => {
    const path = copyFixture();
    const before = readFileSync(path);
    const v = Vault.open(path, { keychain: noKeychain });
    expect(v.isUnlocked).toBe(false);
    expect(v.tokens.count()).toBe(expected.count);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    // The first release knew no sharing: no member removed, no two secrets (the facts sharing added since).
    expect([...v.tokens.reminderFacts()].sort(byId)).toEqual([...(expected.facts.reminders as { id: string }[])].map((r) => ({ ...r, memberRemovedAt: null, secretConflict: false })).sort(byId));
    expect(v.settings.get()).toMatchObject({ autoLockMinutes: 7, warningDays: [14, 3] });
    v.close();
    expect(format(path)).toBe(1);
    expect(readFileSync(path).subarray(100).equals(before.subarray(100))).toBe(true);
  });

  it('the password unlock upgrades it to format 2; every secret, token, workspace, audit entry and journal step reads back', async () => {
    const path = copyFixture();
    const v = Vault.open(path, { keychain: noKeychain });
    await v.keys.unlockWithPassword(PASSWORD);
    expect(format(path)).toBe(LATEST);
    expectEverything(v);
    v.close();
    // The slots are format 2 now: a fresh process opens it with the same password.
    const again = Vault.open(path, { keychain: noKeychain });
    await again.keys.unlockWithPassword(PASSWORD);
    expectEverything(again);
    again.close();
  });

  it('the keychain unlock upgrades it too; the password slot (format 1 still) then opens and is renewed', async () => {
    const path = copyFixture();
    const keychain = fixtureKeychain();
    const v = Vault.open(path, { keychain });
    await v.keys.unlockWithKeychain();
    expect(format(path)).toBe(LATEST);
    expectEverything(v);
    v.close();
    const byPassword = Vault.open(path, { keychain });
    await byPassword.keys.unlockWithPassword(PASSWORD);
    expectEverything(byPassword);
    byPassword.close();
    const db = new Database(path, { readonly: true });
    const params = db.prepare('SELECT kind, params FROM key_slots ORDER BY kind').all() as { kind: string; params: string }[];
    db.close();
    expect(params.map((p) => [p.kind, (JSON.parse(p.params) as { v?: number }).v])).toEqual([['keychain', 2], ['password', 2]]);
    await expect(Vault.open(path, { keychain: noKeychain }).keys.unlockWithPassword('wrong password!')).rejects.toMatchObject({ code: 'wrong-password' });
  });

  it('a second unlock writes nothing', async () => {
    const path = copyFixture();
    const v = Vault.open(path, { keychain: noKeychain });
    await v.keys.unlockWithPassword(PASSWORD);
    v.close();
    const after = snapshot(path);
    const w = Vault.open(path, { keychain: noKeychain });
    await w.keys.unlockWithPassword(PASSWORD);
    w.tokens.list();
    w.close();
    expect(snapshot(path)).toBe(after);
  });

  it('after the upgrade, rows edited in the file are detected (token date, workspace, audit entry)', async () => {
    for (const edit of [
      `UPDATE tokens SET expires_at = '2099-01-01T00:00:00.000Z' WHERE id = '${expected.ids.t2}'`,
      `UPDATE workspaces SET rotate_every_days = 365 WHERE id = '${expected.ids.ws2}'`,
      `UPDATE settings SET value = '999' WHERE key = 'autoLockMinutes'`,
    ]) {
      const path = copyFixture();
      const v = Vault.open(path, { keychain: noKeychain });
      await v.keys.unlockWithPassword(PASSWORD);
      v.close();
      const db = new Database(path);
      db.exec(edit);
      db.close();
      const w = Vault.open(path, { keychain: noKeychain });
      let code: string | undefined;
      try {
        await w.keys.unlockWithPassword(PASSWORD);
        w.tokens.list();
        w.workspaces.list();
      } catch (error) {
        code = (error as { code?: string }).code;
      }
      w.close();
      expect(code, edit).toBe('vault-tampered');
    }
    const path = copyFixture();
    const v = Vault.open(path, { keychain: noKeychain });
    await v.keys.unlockWithPassword(PASSWORD);
    v.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER audit_no_update');
    db.exec("UPDATE audit SET actor = 'someone else' WHERE seq = 1");
    db.close();
    const w = Vault.open(path, { keychain: noKeychain });
    await w.keys.unlockWithPassword(PASSWORD);
    expect(w.audit.verify()).toMatchObject({ ok: false, brokenAt: 1 });
    w.close();
  });

  it('a vault newer than this build (format 99) is refused, typed, and left untouched', () => {
    const path = copyFixture();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(path);
    expect(() => Vault.open(path, { keychain: noKeychain })).toThrow(expect.objectContaining({ code: 'vault-too-new', message: expect.stringMatching(/newer Token Vault \(format 99/) }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('kill -9 at random points of the upgrade: a format-1 file that upgrades at the next unlock, or a format-2 one; every secret reads', async () => {
    let upgradedByChild = 0;
    let leftFormat1 = 0;
    for (let i = 0; i < 8; i++) {
      const path = copyFixture();
      const child = startAckingChild(CHILD, [path, PASSWORD], ([what = '']) => what);
      await child.waitFor(1);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 250)));
      child.child.kill('SIGKILL');
      await child.exited;
      const f = format(path);
      expect([1, LATEST], `iteration ${i}`).toContain(f);
      if (f === 1) {
        leftFormat1++;
        const db = new Database(path, { readonly: true });
        expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'manifest'").pluck().get(), 'no half upgrade').toBe(0);
        db.close();
      } else upgradedByChild++;
      const v = Vault.open(path, { keychain: noKeychain });
      await v.keys.unlockWithPassword(PASSWORD);
      expect(format(path)).toBe(LATEST);
      expectEverything(v);
      v.close();
    }
    expect(upgradedByChild + leftFormat1).toBe(8);
  }, 300_000);
});
