import { AppFailure } from '../../errors';
import type { Keychain } from './keychain';
import { calibrateScrypt, wipe } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { translateDbError } from '../db/vault-db';
import {
  attemptDelayMs,
  checkPasswordSlot,
  keychainAccount,
  readSlots,
  recordAttempt,
  unwrapWithKeychain,
  unwrapWithPassword,
  waitForAttemptSlot,
  wrapWithKeychain,
  wrapWithPassword,
  writeSlot,
  type SlotKind,
  type SlotRow,
} from './key-slots';
import { deriveKeys } from '../crypto/canonical';
import type { ScryptParams } from '../crypto/vault-crypto';

// The key slots: unlocking (password with growing delays after failures, or the OS keychain) and changing them.

export function unlockMethods(core: VaultCore): { password: boolean; keychain: boolean } {
  const slots = core.read(() => readSlots(core.db));
  return { password: slots.has('password'), keychain: slots.has('keychain') };
}

export async function unlockWithPassword(core: VaultCore, password: string): Promise<void> {
  const { key, slot } = await passwordKey(core, password);
  adoptKey(core, key, 'password', slot);
}

/**
 * The key a slot opened becomes this handle's key, once it is the vault's data key (its id is the one in `meta`) and
 * the manifest opens with it: a slot spliced in from an older copy of the file (an old password, an old key) is
 * refused as tampering, never used to read what was written after the password changed.
 */
function adoptKey(core: VaultCore, key: Buffer, kind: SlotKind, used: SlotRow): void {
  const { keyId, slot } = core.read(() =>
    core.db.transaction(() => ({ keyId: core.db.prepare("SELECT value FROM meta WHERE key = 'key_id'").pluck().get() as string | undefined, slot: readSlots(core.db).get(kind) }))(),
  );
  if (keyId !== deriveKeys(key).id) {
    wipe(key);
    // Another process changed the password (and the key) while this one was deriving: not tampering, just late.
    if (!slot || slot.params !== used.params || !slot.wrapped.equals(used.wrapped))
      throw new AppFailure('vault-busy', 'The master password was changed meanwhile in another Token Vault process. Try again.');
    throw new AppFailure('vault-tampered', 'The key slot of this vault does not belong with its data (a slot from another copy of the file?). Restore it from a backup.');
  }
  core.setKey(key);
  try {
    core.manifest();
  } catch (error) {
    core.setKey(null);
    throw error;
  }
}

/**
 * Proves the person at the keyboard knows the master password (before a reveal or a password change) without touching
 * the open vault's key. Wrong answers earn the same growing delays as a wrong unlock.
 */
export async function verifyPassword(core: VaultCore, password: string): Promise<void> {
  const { key } = await passwordKey(core, password);
  const other = core.isUnlocked && !key.equals(core.key());
  wipe(key);
  if (other) throw new AppFailure('vault-busy', 'The master password was changed meanwhile in another Token Vault process. Unlock again.');
}

/** The data key the password unwraps (and the slot it came from), or wrong-password (counted, across processes). */
async function passwordKey(core: VaultCore, password: string): Promise<{ key: Buffer; slot: SlotRow }> {
  const slot = core.read(() => readSlots(core.db)).get('password');
  if (!slot)
    throw new AppFailure('wrong-password', 'This vault has no master password: unlock it through the OS keychain.');
  // Parameters outside the floors are tampering whatever the password: refused before any wait or derivation.
  checkPasswordSlot(slot);
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
  return { key, slot };
}

export async function unlockWithKeychain(core: VaultCore, keychain: Keychain): Promise<void> {
  const slot = core.read(() => readSlots(core.db)).get('keychain');
  if (!slot)
    throw new AppFailure('keychain-unavailable', 'Keychain unlock is not set up for this vault. Use the master password.');
  adoptKey(core, await unwrapWithKeychain(core.vaultId, slot, keychain), 'keychain', slot);
}

/** A new password slot with freshly calibrated parameters (never the stored ones: a file may have weakened them). */
export async function changePassword(core: VaultCore, newPassword: string, kdf?: ScryptParams): Promise<void> {
  const key = core.key();
  if (newPassword.length < 8) throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
  const slot = await wrapWithPassword(core.vaultId, key, newPassword, kdf ?? (await calibrateScrypt()));
  core.write(() => writeSlot(core.db, 'password', slot));
  core.guard(() => recordAttempt(core.db, true));
}

export async function enableKeychainUnlock(core: VaultCore, keychain: Keychain): Promise<void> {
  const key = core.key();
  if (!(await keychain.isAvailable()))
    throw new AppFailure('keychain-unavailable', 'The OS keychain is not reachable here; the master password still works.');
  const slot = await wrapWithKeychain(core.vaultId, key, keychain);
  core.write(() => writeSlot(core.db, 'keychain', slot));
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
  /** A new password slot; `kdf` (tests) must meet the floors, else it is calibrated on this machine. */
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
