import { checkIdentity, Database, precheckFile } from '../db/vault-db';

/**
 * Whether the vault file at `path` has a keychain slot, read before the vault's code is loaded: the command line then
 * starts the keychain's first answer (D-Bus and the Secret Service's session, ~15 ms on another thread) while that
 * code loads. Only a hint: false whenever it cannot tell (no file, not a regular file, not a vault, a damaged one),
 * and the unlock reads the slots again for real.
 */
export function hasKeychainSlot(path: string): boolean {
  try {
    // The checks of a real open first: no FIFO or device is opened, no damaged file gets -wal and -shm files beside
    // it, and no view or trigger of someone else's runs.
    precheckFile(path);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      checkIdentity(db);
      return db.prepare("SELECT 1 FROM key_slots WHERE kind = 'keychain'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
