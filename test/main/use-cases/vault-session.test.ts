import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LockReason } from '../../../src/shared/ipc/vault-channels';
import { VaultSession } from '../../../src/main/use-cases/vault-session';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';

describe('the app session locks when the user walks away', () => {
  let dir: string;
  let session: VaultSession;
  const told: LockReason[] = [];
  const heard: LockReason[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'token-vault-session-'));
    told.length = 0;
    heard.length = 0;
    session = VaultSession.inUserData(dir, (event, payload) => {
      if (event === 'vault:locked') told.push((payload as { reason: LockReason }).reason);
    }, noKeychain);
    session.onLock((reason) => heard.push(reason));
    session.adopt(await Vault.create(session.path, { password: 'a long password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT }));
  });
  afterEach(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('locks after the configured idle time, not before, and never when set to 0', () => {
    session.requireUnlocked().settings.update({ autoLockMinutes: 5 });
    session.lockIfIdle(299);
    expect(session.isUnlocked).toBe(true);
    session.lockIfIdle(300);
    expect(session.isUnlocked).toBe(false);
    expect(told).toEqual(['idle']);
    expect(heard).toEqual(['idle']);
  });

  it('does not lock on idle when auto-lock is off', async () => {
    session.requireUnlocked().settings.update({ autoLockMinutes: 0 });
    session.lockIfIdle(10 * 24 * 3600);
    expect(session.isUnlocked).toBe(true);
  });

  it('locks on screen lock unless the user turned that off', async () => {
    const vault = session.requireUnlocked();
    vault.settings.update({ lockOnScreenLock: false });
    session.lockForScreenLock();
    expect(session.isUnlocked).toBe(true);
    vault.settings.update({ lockOnScreenLock: true });
    session.lockForScreenLock();
    expect(session.isUnlocked).toBe(false);
    expect(told).toEqual(['screen-locked']);
  });

  it('wipes the key: nothing secret can be read until unlocked again', async () => {
    const vault = session.requireUnlocked();
    const ws = vault.workspaces.create({ kind: 'manual', name: 'acme' });
    const token = vault.tokens.storeIssued({ workspaceId: ws.id, name: 'ci', secret: 'tv_secret_value_1234567890' });
    session.lock('user');
    expect(() => session.requireUnlocked()).toThrow(/locked/);
    expect(() => vault.tokens.readSecret(token.id)).toThrow(/locked/);
    await vault.keys.unlockWithPassword('a long password');
    expect(vault.tokens.readSecret(token.id)).toBe('tv_secret_value_1234567890');
  });
});
