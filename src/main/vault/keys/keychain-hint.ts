import { statSync } from 'node:fs';
import { Database } from '../db/vault-db';

/**
 * Whether the vault file at `path` has a keychain slot, read before the vault's code is loaded: the command line then
 * starts the keychain's first answer (D-Bus and the Secret Service's session, ~15 ms on another thread) while that
 * code loads. Only a hint: false whenever it cannot tell (no file, not a regular file, not a vault), and the unlock
 * reads the slots again for real.
 */
export function hasKeychainSlot(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT 1 FROM key_slots WHERE kind = 'keychain'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
