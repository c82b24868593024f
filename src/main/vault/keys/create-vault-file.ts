import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppFailure } from '../../errors';
import type { Keychain } from './keychain';
import { calibrateScrypt, wipe } from '../crypto/vault-crypto';
import { deriveKeys } from '../crypto/canonical';
import { emptyManifest, sealManifest } from '../db/manifest';
import { settingsCanon } from '../db/vault-core';
import { isLink, openVaultDb, translateDbError } from '../db/vault-db';
import { wrapWithKeychain, wrapWithPassword, writeSlot, type SlotKind, type SlotRow } from './key-slots';
import type { ScryptParams } from '../crypto/vault-crypto';

export interface CreateVaultOptions {
  /** Master password (>= 8 characters); optional when `useKeychain`. */
  password?: string;
  useKeychain: boolean;
  keychain?: Keychain;
  /** scrypt parameters (at least KDF_FLOOR); default: calibrated to ~300 ms on this machine. */
  kdf?: ScryptParams;
}

/**
 * Writes a new vault file and returns its data key. The file is built under a temporary name and linked into
 * place, so a failure leaves no half-made vault and an existing file is never replaced.
 */
export async function createVaultFile(path: string, options: CreateVaultOptions, keychain: Keychain): Promise<Buffer> {
  if (existsSync(path)) throw new AppFailure('vault-exists', `A vault already exists at ${path}.`);
  if (isLink(path)) throw new AppFailure('vault-exists', `${path} is a link to ${readlinkSync(path)}; Token Vault does not create a vault through a link.`);
  if (!options.useKeychain && !options.password)
    throw new AppFailure('invalid-argument', 'Without the OS keychain, a master password is required.');
  if (options.password !== undefined && options.password.length < 8)
    throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
  if (options.useKeychain && !(await keychain.isAvailable()))
    throw new AppFailure(
      'keychain-unavailable',
      'The OS keychain is not reachable here. Create the vault with a master password instead.',
    );
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.creating-${randomBytes(6).toString('hex')}`;
  const dataKey = randomBytes(32);
  const vaultId = randomUUID();
  try {
    const slots: [SlotKind, SlotRow][] = [];
    if (options.password) slots.push(['password', await wrapWithPassword(vaultId, dataKey, options.password, options.kdf ?? (await calibrateScrypt()))]);
    if (options.useKeychain) slots.push(['keychain', await wrapWithKeychain(vaultId, dataKey, keychain)]);
    const db = openVaultDb(temp, { create: true });
    try {
      db.transaction(() => {
        db.prepare("INSERT INTO meta (key, value) VALUES ('vault_id', ?)").run(vaultId);
        db.prepare("INSERT INTO meta (key, value) VALUES ('created_at', ?)").run(new Date().toISOString());
        db.prepare("INSERT INTO meta (key, value) VALUES ('key_id', ?)").run(deriveKeys(dataKey).id);
        for (const [kind, slot] of slots) writeSlot(db, kind, slot);
        db.prepare('INSERT INTO manifest (id, blob) VALUES (1, ?)').run(sealManifest(dataKey, vaultId, emptyManifest(settingsCanon(db))));
      }).immediate();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    chmodSync(temp, 0o600);
    linkSync(temp, path); // fails if someone created `path` meanwhile: never overwrite
  } catch (error) {
    wipe(dataKey);
    if ((error as { code?: unknown }).code === 'EEXIST') throw new AppFailure('vault-exists', `Something was created at ${path} meanwhile; it was left as it is.`);
    throw error instanceof AppFailure ? error : translateDbError(error);
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-wal`, { force: true });
    rmSync(`${temp}-shm`, { force: true });
  }
  return dataKey;
}
