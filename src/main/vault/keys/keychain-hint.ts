import { checkIdentity, Database, precheckFile } from '../db/vault-db';

/**
 * The keychain entry the vault file at `path` unlocks with, read before the vault's code is loaded: the command line
 * then asks the keychain for it (D-Bus and the Secret Service's session, ~15 ms on another thread) while that code
 * loads. Only a hint: null whenever it cannot tell (no file, not a regular file, not a vault, a damaged one, no
 * keychain slot), and the unlock reads and checks the slot again for real (its account is part of what the wrapped
 * key is bound to, so a changed name only fails the unlock). `account` is empty when the slot names none.
 */
export function keychainSlotHint(path: string): { account: string } | null {
  try {
    // The checks of a real open first: no FIFO or device is opened, no damaged file gets -wal and -shm files beside
    // it, and no view or trigger of someone else's runs.
    precheckFile(path);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      checkIdentity(db);
      const slot = db.prepare("SELECT params FROM key_slots WHERE kind = 'keychain'").get() as { params: unknown } | undefined;
      if (!slot) return null;
      const account = (JSON.parse(String(slot.params)) as { account?: unknown } | null)?.account;
      return { account: typeof account === 'string' ? account : '' };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Whether the vault file at `path` has a keychain slot (the hint above, as a yes or no). */
export const hasKeychainSlot = (path: string): boolean => keychainSlotHint(path) !== null;
