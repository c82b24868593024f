import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, KDF_FLOOR, noKeychain, Vault } from '../../../src/main/vault';
import { newVault, PASSWORD, tempDirs } from './vault-support';

/**
 * Issue 10 item 3: the KDF parameters in the key slot are authenticated and have floors. A file edited to N=2 must
 * not make the next `passwd` write a trivially weak slot, and must be reported as tampering (never as a wrong
 * password, never as "unexpected failure (RangeError)").
 */
const tmp = tempDirs();
const open = (path: string) => Vault.open(path, { keychain: noKeychain });

function editSlot(path: string, edit: (params: Record<string, unknown>) => void): void {
  const db = new Database(path);
  const row = db.prepare("SELECT params FROM key_slots WHERE kind = 'password'").get() as { params: string };
  const params = JSON.parse(row.params) as Record<string, unknown>;
  edit(params);
  db.prepare("UPDATE key_slots SET params = ? WHERE kind = 'password'").run(JSON.stringify(params));
  db.close();
}

const slotParams = (path: string) => {
  const db = new Database(path, { readonly: true });
  const row = db.prepare("SELECT params FROM key_slots WHERE kind = 'password'").get() as { params: string };
  db.close();
  return JSON.parse(row.params) as { N: number; r: number; p: number };
};

describe('issue 10 item 3: KDF parameters below the floors are tampering', () => {
  for (const [what, edit] of [
    ['N = 2', (p: Record<string, unknown>) => (p['N'] = 2)],
    ['r = 1', (p: Record<string, unknown>) => (p['r'] = 1)],
    ['p = 0', (p: Record<string, unknown>) => (p['p'] = 0)],
    ['N not a power of two', (p: Record<string, unknown>) => (p['N'] = 40_000)],
    ['N = 2^30 (an hour of CPU, or a RangeError)', (p: Record<string, unknown>) => (p['N'] = 2 ** 30)],
    ['N missing', (p: Record<string, unknown>) => delete p['N']],
  ] as const) {
    it(`${what}: vault-tampered with the right password and with a wrong one`, async () => {
      const dir = tmp();
      (await newVault(dir)).close();
      const path = join(dir, 'vault.db');
      editSlot(path, edit);
      const v = open(path);
      await expect(v.keys.unlockWithPassword(PASSWORD)).rejects.toMatchObject({ code: 'vault-tampered' });
      await expect(v.keys.unlockWithPassword('a wrong password')).rejects.toMatchObject({ code: 'vault-tampered' });
      v.close();
    });
  }

  it('parameters changed within the floors no longer open the slot (they are bound to the wrapped key)', async () => {
    const dir = tmp();
    (await newVault(dir)).close();
    const path = join(dir, 'vault.db');
    editSlot(path, (p) => (p['p'] = Number(p['p']) + 1));
    const v = open(path);
    await expect(v.keys.unlockWithPassword(PASSWORD)).rejects.toMatchObject({ code: expect.stringMatching(/wrong-password|vault-tampered/) });
    v.close();
  });

  it('passwd never reuses the stored parameters: a slot weakened behind an unlocked vault gets fresh ones', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const path = join(dir, 'vault.db');
    editSlot(path, (p) => (p['N'] = 2)); // another process edits the file while this one is unlocked
    await v.keys.changePassword('a new master password');
    const params = slotParams(path);
    expect(params.N).toBeGreaterThanOrEqual(KDF_FLOOR.N);
    expect(params.r).toBeGreaterThanOrEqual(KDF_FLOOR.r);
    expect(params.p).toBeGreaterThanOrEqual(KDF_FLOOR.p);
    v.close();
    const again = open(path);
    await again.keys.unlockWithPassword('a new master password');
    again.close();
  }, 30_000);

  it('the floors are enforced on write: a vault or a password with weaker parameters is refused', async () => {
    const dir = tmp();
    const weak = { N: 1024, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };
    await expect(Vault.create(join(dir, 'weak.db'), { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: weak })).rejects.toMatchObject({ code: 'invalid-argument' });
    const v = await newVault(dir);
    await expect(v.keys.changePassword('another password', weak)).rejects.toMatchObject({ code: 'invalid-argument' });
    v.close();
    expect(CHEAP_SCRYPT).toMatchObject(KDF_FLOOR);
  });
});
