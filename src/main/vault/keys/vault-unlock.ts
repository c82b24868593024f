import { AppFailure } from '../../errors';
import type { Keychain } from './keychain';
import { calibrateScrypt, wipe } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { translateDbError } from '../db/vault-db';
import {
  attemptDelayMs,
  keychainAccount,
  passwordKdf,
  readSlots,
  recordAttempt,
  unwrapWithKeychain,
  unwrapWithPassword,
  waitForAttemptSlot,
  wrapWithKeychain,
  wrapWithPassword,
  writeSlot,
} from './key-slots';
import type { ScryptParams } from '../crypto/vault-crypto';

// The key slots: unlocking (password with growing delays after failures, or the OS keychain) and changing them.

export function unlockMethods(core: VaultCore): { password: boolean; keychain: boolean } {
  const slots = core.read(() => readSlots(core.db));
  return { password: slots.has('password'), keychain: slots.has('keychain') };
}

export async function unlockWithPassword(core: VaultCore, password: string): Promise<void> {
  core.setKey(await passwordKey(core, password));
}

/**
 * Proves the person at the keyboard knows the master password (before a reveal or a password change) without touching
 * the open vault's key. Wrong answers earn the same growing delays as a wrong unlock.
 */
export async function verifyPassword(core: VaultCore, password: string): Promise<void> {
  wipe(await passwordKey(core, password));
}

/** The data key the password unwraps, or wrong-password (counted, across processes). */
async function passwordKey(core: VaultCore, password: string): Promise<Buffer> {
  const slot = core.read(() => readSlots(core.db)).get('password');
  if (!slot)
    throw new AppFailure('wrong-password', 'This vault has no master password: unlock it through the OS keychain.');
  await waitForAttemptSlot(core.db).catch((error: unknown) => {
    throw translateDbError(error);
  });
  const key = await unwrapWithPassword(core.vaultId, slot, password);
  if (!key) {
    const failures = core.guard(() => recordAttempt(core.db, false));
    const wait = Math.ceil(attemptDelayMs(failures) / 1000);
    throw new AppFailure(
      'wrong-password',
      wait > 0 ? `Wrong master password. The next attempt waits ${wait} s.` : 'Wrong master password.',
    );
  }
  core.guard(() => recordAttempt(core.db, true));
  return key;
}

export async function unlockWithKeychain(core: VaultCore, keychain: Keychain): Promise<void> {
  const slot = core.read(() => readSlots(core.db)).get('keychain');
  if (!slot)
    throw new AppFailure('keychain-unavailable', 'Keychain unlock is not set up for this vault. Use the master password.');
  core.setKey(await unwrapWithKeychain(core.vaultId, slot, keychain));
}

export async function changePassword(core: VaultCore, newPassword: string, kdf?: ScryptParams): Promise<void> {
  const key = core.key();
  if (newPassword.length < 8) throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
  const current = core.read(() => readSlots(core.db)).get('password');
  const params = kdf ?? (current ? passwordKdf(current.params) : await calibrateScrypt());
  const { params: slotParams, wrapped } = await wrapWithPassword(core.vaultId, key, newPassword, params);
  core.write(() => writeSlot(core.db, 'password', slotParams, wrapped));
  core.guard(() => recordAttempt(core.db, true));
}

export async function enableKeychainUnlock(core: VaultCore, keychain: Keychain): Promise<void> {
  const key = core.key();
  if (!(await keychain.isAvailable()))
    throw new AppFailure('keychain-unavailable', 'The OS keychain is not reachable here; the master password still works.');
  const { params, wrapped } = await wrapWithKeychain(core.vaultId, key, keychain);
  core.write(() => writeSlot(core.db, 'keychain', params, wrapped));
}

export async function disableKeychainUnlock(core: VaultCore, keychain: Keychain): Promise<void> {
  core.key();
  if (!unlockMethods(core).password)
    throw new AppFailure('invalid-argument', 'Set a master password first: otherwise nothing could unlock this vault.');
  core.write(() => core.db.prepare("DELETE FROM key_slots WHERE kind = 'keychain'").run());
  await keychain.delete(keychainAccount(core.vaultId)).catch(() => false);
}

/** The key slots: `vault.keys`. Unlocking (password with growing delays after failures, or the OS keychain), checking
 * the password, and changing the slots. */
export interface VaultKeys {
  methods(): { password: boolean; keychain: boolean };
  unlockWithPassword(password: string): Promise<void>;
  unlockWithKeychain(): Promise<void>;
  /** THE password check: before a reveal, before a password change. Throws wrong-password. */
  verifyPassword(password: string): Promise<void>;
  changePassword(newPassword: string, kdf?: ScryptParams): Promise<void>;
  enableKeychainUnlock(): Promise<void>;
  disableKeychainUnlock(): Promise<void>;
}

export const vaultKeys = (core: VaultCore, keychain: Keychain): VaultKeys => ({
  methods: () => unlockMethods(core),
  unlockWithPassword: (password) => unlockWithPassword(core, password),
  unlockWithKeychain: () => unlockWithKeychain(core, keychain),
  verifyPassword: (password) => verifyPassword(core, password),
  changePassword: (newPassword, kdf) => changePassword(core, newPassword, kdf),
  enableKeychainUnlock: () => enableKeychainUnlock(core, keychain),
  disableKeychainUnlock: () => disableKeychainUnlock(core, keychain),
});
