import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, createKeytarKeychain, noKeychain, Vault } from '../../../src/main/vault';
import { PASSWORD, tempDirs } from './vault-support';

const tmp = tempDirs();
const keychain = createKeytarKeychain();
let available = false;
beforeAll(async () => {
  available = await keychain.isAvailable();
  if (!available) process.stdout.write('vault-keychain: SKIPPED: no Secret Service answered (run under scripts/with-keyring.sh)\n');
});

describe('OS keychain unlock (real Secret Service through keytar)', () => {
  it('unlocks without a password, can be turned off and on, and the password keeps working', async (ctx) => {
    if (!available) return ctx.skip();
    const path = join(tmp(), 'vault.db');
    const v = await Vault.create(path, { password: PASSWORD, useKeychain: true, keychain, kdf: CHEAP_SCRYPT });
    const t = v.tokens.insert({ workspaceId: v.workspaces.create({ kind: 'manual', name: 'k' }).id, name: 'x', secret: 'kc-secret' });
    v.close();

    const a = Vault.open(path, { keychain });
    expect(a.keys.methods()).toEqual({ password: true, keychain: true });
    await a.keys.unlockWithKeychain();
    expect(a.tokens.readSecret(t.id)).toBe('kc-secret');
    await a.keys.disableKeychainUnlock();
    a.close();

    const b = Vault.open(path, { keychain });
    await expect(b.keys.unlockWithKeychain()).rejects.toMatchObject({ code: 'keychain-unavailable' });
    await b.keys.unlockWithPassword(PASSWORD);
    await b.keys.enableKeychainUnlock();
    b.lock();
    await b.keys.unlockWithKeychain();
    expect(b.tokens.readSecret(t.id)).toBe('kc-secret');
    b.close();
  });

  it('a keychain-only vault; without a keychain it says so clearly', async (ctx) => {
    if (!available) return ctx.skip();
    const path = join(tmp(), 'vault.db');
    (await Vault.create(path, { useKeychain: true, keychain })).close();
    const v = Vault.open(path, { keychain: noKeychain });
    expect(v.keys.methods()).toEqual({ password: false, keychain: true });
    await expect(v.keys.unlockWithKeychain()).rejects.toMatchObject({ code: 'keychain-unavailable', message: expect.stringMatching(/keychain/) });
    v.close();
  });
});

describe('without a keychain', () => {
  it('refuses keychain-only creation with a clear message and works with the master password', async () => {
    const dir = tmp();
    await expect(Vault.create(join(dir, 'a.db'), { useKeychain: true, keychain: noKeychain })).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: expect.stringMatching(/master password/),
    });
    const v = await Vault.create(join(dir, 'b.db'), { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    await expect(v.keys.enableKeychainUnlock()).rejects.toMatchObject({ code: 'keychain-unavailable' });
    v.close();
  });
});
