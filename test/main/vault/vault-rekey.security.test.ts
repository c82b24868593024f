import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';
import { newVault, PASSWORD, startAckingChild, tempDirs } from './vault-support';

/**
 * Issue 10 item 9: `passwd` never changed the data key, so an old key slot spliced into a later copy of the file read
 * everything written after the password change. It now re-keys: a new data key, every sealed value re-encrypted and
 * the slots rewritten in ONE transaction; kill -9 at any point leaves a vault that opens with the old or the new
 * password and reads every secret.
 */
const tmp = tempDirs();
const NEW_PASSWORD = 'a brand new passphrase';
const CHILD = join(import.meta.dirname, 'fixtures', 'passwd-loop-child.mjs');

async function seeded(dir: string, tokens = 20) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'vault', name: 'hcv', baseUrl: 'https://vault.example', adminCredential: 'hvs.admin-credential' });
  const secrets = new Map<string, string>();
  for (let i = 0; i < tokens; i++) {
    const t = v.tokens.insert({ workspaceId: ws.id, name: `t${i}`, remoteId: `accessor-${i}`, secret: `secret-${i}`, notes: 'n'.repeat(200) });
    secrets.set(t.id, `secret-${i}`);
  }
  const first = [...secrets.keys()][0]!;
  v.journal.put({ tokenId: first, step: 'awaiting-confirmation', payload: { v: 1, note: 'kept' } });
  v.tokens.readSecret(first, { action: 'revealed', actor: 'cli', detail: 'a sealed detail' });
  return { v, ws, secrets, path: join(dir, 'vault.db') };
}

async function opens(path: string, password: string): Promise<Vault | null> {
  const v = Vault.open(path, { keychain: noKeychain });
  try {
    await v.keys.unlockWithPassword(password);
    return v;
  } catch (error) {
    v.close();
    if ((error as { code?: string }).code === 'wrong-password') return null;
    throw error;
  }
}

/** Everything the vault holds, read back: secrets, names, accessor lookups, the workspace credential, journal, audit. */
function expectWhole(v: Vault, secrets: Map<string, string>, wsId: string): void {
  for (const [id, secret] of secrets) expect(v.tokens.readSecret(id)).toBe(secret);
  expect(v.tokens.findByRemoteId(wsId, 'accessor-3')?.name).toBe('t3');
  expect(v.workspaces.connection(wsId).adminCredential).toBe('hvs.admin-credential');
  expect(v.journal.list()[0]?.payload).toEqual({ v: 1, note: 'kept' });
  expect(v.audit.verify()).toMatchObject({ ok: true });
  expect(v.audit.list().some((e) => e.detail === 'a sealed detail')).toBe(true);
}

describe('issue 10 item 9: passwd re-keys', () => {
  it('after passwd, everything reads with the new password, the old one is refused, and the data key changed', async () => {
    const { v, ws, secrets, path } = await seeded(tmp());
    const keyBefore = Buffer.from(v['core'].dataKey!);
    await v.keys.changePassword(NEW_PASSWORD, CHEAP_SCRYPT);
    expect(v['core'].dataKey!.equals(keyBefore)).toBe(false);
    expectWhole(v, secrets, ws.id);
    v.close();
    expect(await opens(path, PASSWORD)).toBeNull();
    const again = (await opens(path, NEW_PASSWORD))!;
    expectWhole(again, secrets, ws.id);
    again.close();
  });

  it('an old key slot spliced into the file after passwd does not read what the new key wrote', async () => {
    const dir = tmp();
    const { v, path } = await seeded(dir);
    v.close();
    copyFileSync(path, join(dir, 'old-copy.db'));
    const w = (await opens(path, PASSWORD))!;
    await w.keys.changePassword(NEW_PASSWORD, CHEAP_SCRYPT);
    const ws = w.workspaces.create({ kind: 'manual', name: 'after' });
    w.tokens.insert({ workspaceId: ws.id, name: 'written-after', secret: 'written-after-passwd' });
    w.close();
    const old = new Database(join(dir, 'old-copy.db'), { readonly: true });
    const slot = old.prepare("SELECT params, wrapped FROM key_slots WHERE kind = 'password'").get() as { params: string; wrapped: Buffer };
    old.close();
    const db = new Database(path);
    db.prepare("UPDATE key_slots SET params = ?, wrapped = ? WHERE kind = 'password'").run(slot.params, slot.wrapped);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const spliced = Vault.open(path, { keychain: noKeychain });
    await expect(spliced.keys.unlockWithPassword(PASSWORD)).rejects.toMatchObject({ code: 'vault-tampered' });
    spliced.close();
  });

  it('another process holding the old key locks itself instead of writing with it', async () => {
    const { v, path } = await seeded(tmp(), 2);
    const other = (await opens(path, PASSWORD))!;
    await v.keys.changePassword(NEW_PASSWORD, CHEAP_SCRYPT);
    expect(() => other.tokens.list()).toThrow(expect.objectContaining({ code: 'vault-locked' }));
    other.close();
    v.close();
  });

  it('kill -9 at random points of repeated password changes: the vault opens with one of the two passwords and reads everything', async () => {
    const { v, ws, secrets, path } = await seeded(tmp(), 300);
    v.close();
    const passwords = [PASSWORD, NEW_PASSWORD];
    let changes = 0;
    for (let i = 0; i < 10; i++) {
      const child = startAckingChild(CHILD, [path, PASSWORD, NEW_PASSWORD], ([pw = '']) => pw);
      await child.waitFor(1 + (i % 3));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
      child.child.kill('SIGKILL');
      await child.exited;
      changes += child.acks.length;
      const opened = [];
      for (const pw of passwords) {
        const o = await opens(path, pw);
        if (o) opened.push({ pw, o });
      }
      expect(opened.map((x) => x.pw), `iteration ${i}`).toHaveLength(1);
      const { o } = opened[0]!;
      // The last acknowledged change is durable: the vault opens with at least that one or a later one.
      expectWhole(o, secrets, ws.id);
      o.close();
    }
    expect(changes).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
