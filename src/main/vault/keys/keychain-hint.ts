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
      return { account: accountOf(slot.params) };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * The account a slot's parameters name, in a shape Token Vault writes (format 2, or the first release's without `v`),
 * else empty: a hand-made slot gets no keychain read before the unlock has checked it. The unlock's own reading is
 * key-slots.ts (parseKeychainParams, legacyKeychainSlot), which loads with the vault's code: too late for this.
 */
function accountOf(params: unknown): string {
  if (typeof params !== 'string' || params.length > 1000) return '';
  try {
    const o = JSON.parse(params) as { v?: unknown; account?: unknown } | null;
    if (!o || typeof o !== 'object' || (o.v !== 2 && o.v !== undefined)) return '';
    return typeof o.account === 'string' && o.account.length <= 200 ? o.account : '';
  } catch {
    return '';
  }
}
