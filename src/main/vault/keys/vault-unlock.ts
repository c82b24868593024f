import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { AppFailure } from '../../errors';
import { rekeyAudit } from '../audit/vault-audit';
import { rekeyJournal } from '../journal/vault-journal';
import { rekeySharing } from '../sharing/share-store';
import { rekeyTargets } from '../targets/vault-targets';
import { fillNameRefs } from '../tokens/token-name-refs';
import { rekeyTokens } from '../tokens/token-store';
import { rekeyTrash } from '../trash/vault-trash';
import { rekeyWorkspaces } from '../workspaces/workspace-records';
import type { Keychain } from './keychain';
import { calibrateScrypt, wipe } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { renewLegacySlot, upgradeFormat1 } from './format1-upgrade';
import {
  attemptDelayMs,
  isLegacySlot,
  unwrapLegacyKeychain,
  unwrapLegacyPassword,
  checkPasswordSlot,
  keychainAccount,
  keychainKek,
  readSlots,
  rewrapKeychain,
  recordAttempt,
  releaseAttempt,
  reserveAttempt,
  unwrapWithKeychain,
  unwrapWithPassword,
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

export async function unlockWithPassword(core: VaultCore, password: string, keychain?: Keychain): Promise<void> {
  const { key, slot } = await passwordKey(core, password);
  try {
    await upgradeFormat1(core, key, { password, keychain });
  } catch (error) {
    wipe(key);
    throw error;
  }
  adoptKey(core, key, 'password', slot);
  // Best effort: the vault is unlocked either way, and a format-1 slot still opens until it is renewed.
  await renewLegacySlot(core, 'password', slot, password).catch(() => undefined);
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
  fillNameRefs(core);
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
  if (!isLegacySlot(slot)) checkPasswordSlot(slot);
  // This attempt's turn, after every attempt before it (in any process) and the delays they earn.
  const { waitMs, reservation } = core.guard(() => reserveAttempt(core.db));
  try {
    if (waitMs > 0) await sleep(waitMs);
    const key = isLegacySlot(slot) ? await unwrapLegacyPassword(core.vaultId, slot, password) : await unwrapWithPassword(core.vaultId, slot, password);
    if (!key) {
      const failures = core.guard(() => recordAttempt(core.db, false));
      const next = Math.ceil(attemptDelayMs(failures) / 1000);
      throw new AppFailure('wrong-password', next > 0 ? `Wrong master password. The next attempt waits ${next} s.` : 'Wrong master password.');
    }
    core.guard(() => recordAttempt(core.db, true));
    return { key, slot };
  } finally {
    core.guard(() => releaseAttempt(core.db, reservation));
  }
}

export async function unlockWithKeychain(core: VaultCore, keychain: Keychain): Promise<void> {
  const slot = core.read(() => readSlots(core.db)).get('keychain');
  if (!slot)
    throw new AppFailure('keychain-unavailable', 'Keychain unlock is not set up for this vault. Use the master password.');
  const key = isLegacySlot(slot) ? await unwrapLegacyKeychain(core.vaultId, slot, keychain) : await unwrapWithKeychain(core.vaultId, slot, keychain);
  try {
    await upgradeFormat1(core, key, { keychain });
  } catch (error) {
    wipe(key);
    throw error;
  }
  adoptKey(core, key, 'keychain', slot);
}

/**
 * `passwd` RE-KEYS the vault (issue 10 item 9): a new random data key; every sealed value (secrets, shards, workspace
 * fields and credentials, journal payloads, deployment targets, this device's sharing keys and the shares' state,
 * audit details), every row MAC, keyed lookup and the audit chain are rewritten under it, the key id in meta
 * changes, and the password slot (fresh salt, freshly calibrated parameters:
 * never the stored ones, a file may have weakened them) and the keychain slot (same keychain entry, rewrapped) are
 * replaced: ALL IN ONE TRANSACTION, so a crash at any point leaves the old vault whole (old password) or the new one
 * (new password). An old key slot spliced into the new file no longer opens it (its key id differs). Other processes
 * holding the old key lock themselves at their next read or write. When the keychain cannot be read now, its slot is
 * removed (the master password still opens the vault; keychain unlock can be turned on again).
 */
export async function changePassword(core: VaultCore, newPassword: string, kdf: ScryptParams | undefined, keychain: Keychain): Promise<void> {
  core.key();
  if (newPassword.length < 8) throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
  const newKey = randomBytes(32);
  try {
    const passwordSlot = await wrapWithPassword(core.vaultId, newKey, newPassword, kdf ?? (await calibrateScrypt()));
    const keychainSlot = core.read(() => readSlots(core.db)).get('keychain');
    let rewrapped: SlotRow | null = null;
    if (keychainSlot) {
      const kek = await keychainKek(keychainSlot, keychain).catch(() => null);
      if (kek) rewrapped = rewrapKeychain(core.vaultId, keychainSlot, kek, newKey);
      wipe(kek);
    }
    const oldKey = Buffer.from(core.key());
    let switched = false;
    try {
      core.write(() => {
        // Everything is read and checked under the old key before anything is written under the new one.
        const writers = [rekeyTokens(core), rekeyWorkspaces(core), rekeyJournal(core), rekeyTargets(core), rekeyTrash(core), rekeySharing(core), rekeyAudit(core)];
        core.changedManifest();
        core.setKey(Buffer.from(newKey));
        switched = true;
        for (const write of writers) write();
        core.db.prepare("UPDATE meta SET value = ? WHERE key = 'key_id'").run(deriveKeys(newKey).id);
        writeSlot(core.db, 'password', passwordSlot);
        if (rewrapped) writeSlot(core.db, 'keychain', rewrapped);
        else if (keychainSlot) core.db.prepare("DELETE FROM key_slots WHERE kind = 'keychain'").run();
      });
    } catch (error) {
      // Rolled back: this handle goes on with the old key.
      if (switched) core.setKey(oldKey);
      else wipe(oldKey);
      throw error;
    }
    wipe(oldKey);
  } finally {
    wipe(newKey);
  }
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
  /** A new master password, and a new data key (see changePassword); `kdf` (tests) must meet the floors, else it is calibrated here. */
  changePassword(newPassword: string, kdf?: ScryptParams): Promise<void>;
  enableKeychainUnlock(): Promise<void>;
  disableKeychainUnlock(): Promise<void>;
}

export const vaultKeys = (core: VaultCore, keychain: Keychain): VaultKeys => ({
  methods: () => unlockMethods(core),
  unlockWithPassword: (password) => unlockWithPassword(core, password, keychain),
  unlockWithKeychain: () => unlockWithKeychain(core, keychain),
  verifyPassword: (password) => verifyPassword(core, password),
  changePassword: (newPassword, kdf) => changePassword(core, newPassword, kdf, keychain),
  enableKeychainUnlock: () => enableKeychainUnlock(core, keychain),
  disableKeychainUnlock: () => disableKeychainUnlock(core, keychain),
});
