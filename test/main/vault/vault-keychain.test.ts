import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, createKeytarKeychain, keychainSlotHint, noKeychain, Vault } from '../../../src/main/vault';
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

describe('the command line\'s early keychain read (prefetch)', () => {
  it('reads the slot\'s entry ahead, unlocks with that one answer, and a write before the read is never undone', async (ctx) => {
    if (!available) return ctx.skip();
    const path = join(tmp(), 'vault.db');
    const v = await Vault.create(path, { useKeychain: true, keychain });
    const t = v.tokens.insert({ workspaceId: v.workspaces.create({ kind: 'manual', name: 'k' }).id, name: 'x', secret: 'kc-early' });
    v.close();
    const hint = keychainSlotHint(path);
    expect(hint?.account).toMatch(/^vault-/);
    expect(keychainSlotHint(join(tmp(), 'missing.db'))).toBeNull();

    const early = createKeytarKeychain();
    early.prefetch?.(hint?.account ?? '');
    expect(await early.isAvailable()).toBe(true);
    const a = Vault.open(path, { keychain: early });
    await a.keys.unlockWithKeychain();
    expect(a.tokens.readSecret(t.id)).toBe('kc-early');
    a.close();

    // A value written after the early read is what a later read returns, not the stale early answer.
    const account = 'prefetch-test-entry';
    const k = createKeytarKeychain();
    await k.set(account, 'first');
    k.prefetch?.(account);
    await k.set(account, 'second');
    expect(await k.get(account)).toBe('second');
    // An early read of an entry that is not there answers null: the keychain is there, the entry is not.
    const none = createKeytarKeychain();
    none.prefetch?.('prefetch-test-missing');
    expect(await none.isAvailable()).toBe(true);
    expect(await none.get('prefetch-test-missing')).toBeNull();
    await k.delete(account);
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
