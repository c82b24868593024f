import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../../errors';
import type { Keychain } from '../keys/keychain';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { seal, tryUnwrap, wipe } from '../crypto/vault-crypto';
import { VaultCore } from '../db/vault-core';
import { APPLICATION_ID, Database, openVaultDb, translateDbError, type Db } from '../db/vault-db';
import { readSlots, unwrapWithKeychain, unwrapWithPassword, type SlotKind } from '../keys/key-slots';

/**
 * The vault as ONE file, for backups (issue 15): a consistent image of the SQLite file and copies of its key slots,
 * and the way back (an image checked, then put in place atomically). Whatever the schema, a backup is the file
 * itself, so later migrations never break an old backup: restoring runs them on open.
 */

/** A key slot as stored in the vault (the data key wrapped by the master password or the OS keychain key). */
export interface KeySlotCopy {
  kind: SlotKind;
  params: string;
  wrapped: Buffer;
}

export interface VaultImage {
  vaultId: string;
  schemaVersion: number;
  /** The whole database file, in rollback-journal mode (so it opens without a -wal file beside it). */
  image: Buffer;
  slots: KeySlotCopy[];
}

/** A consistent picture of the file: sqlite3_serialize reads every page inside one read transaction. */
export function snapshotVault(core: VaultCore): VaultImage {
  return core.read(() =>
    core.db.transaction(() => {
      const image = core.db.serialize();
      const slots = [...readSlots(core.db)].map(([kind, s]) => ({ kind, params: s.params, wrapped: Buffer.from(s.wrapped) }));
      return { vaultId: core.vaultId, schemaVersion: core.db.pragma('user_version', { simple: true }) as number, image: toRollbackMode(image), slots };
    })(),
  );
}

/** Seals a key (a backup's payload key) under the vault's data key; only the vault ever holds the data key. */
export function sealUnderDataKey(core: VaultCore, plain: Buffer, ad: Buffer): Buffer {
  return seal(core.key(), plain, ad);
}

/**
 * Opens something sealed under a vault's data key, given copies of that vault's key slots and the master password
 * (or the OS keychain): null when the password does not open the password slot. The data key is wiped before return.
 */
export async function openUnderSlots(
  vaultId: string,
  slots: KeySlotCopy[],
  sealed: Buffer,
  ad: Buffer,
  unlock: { password: string } | { keychain: Keychain },
): Promise<Buffer | null> {
  let dataKey: Buffer | null = null;
  try {
    if ('password' in unlock) {
      const slot = slots.find((s) => s.kind === 'password');
      if (!slot) return null;
      dataKey = await unwrapWithPassword(vaultId, slot, unlock.password);
    } else {
      const slot = slots.find((s) => s.kind === 'keychain');
      if (!slot) return null;
      dataKey = await unwrapWithKeychain(vaultId, slot, unlock.keychain);
    }
    return dataKey ? tryUnwrap(dataKey, sealed, ad) : null;
  } finally {
    wipe(dataKey);
  }
}

const notAVault = (why: string) =>
  new AppFailure('vault-corrupt', `The backup does not hold a usable vault (${why}). Nothing was restored.`);

/**
 * Checks that an image is a whole Token Vault database of this vault (application id, schema this build reads,
 * integrity, identity) without writing it anywhere: it is opened in memory.
 */
export function checkVaultImage(image: Buffer, expectedVaultId: string): void {
  if (image.length < 512 || image.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') throw notAVault('not a database');
  let db: Db | undefined;
  try {
    db = new Database(toRollbackMode(Buffer.from(image)));
    if ((db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) throw notAVault('not a Token Vault file');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION)
      throw new AppFailure('vault-too-new', `The backup was written by a newer Token Vault (format ${version}). Update Token Vault; nothing was restored.`);
    if (db.pragma('quick_check', { simple: true }) !== 'ok') throw notAVault('the database structure is broken');
    const id = db.prepare("SELECT value FROM meta WHERE key = 'vault_id'").pluck().get();
    if (id !== expectedVaultId) throw notAVault('its identity does not match the backup header');
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    throw notAVault('the database does not open');
  } finally {
    db?.close();
  }
}

/** A backup's vault image checked (checkVaultImage), then put at `path` (replaceVaultFile): the one way back in. */
export function restoreVaultImage(path: string, image: Buffer, expectedVaultId: string, options: { force: boolean }): void {
  checkVaultImage(image, expectedVaultId);
  replaceVaultFile(path, image, expectedVaultId, options);
}

/**
 * Puts a checked image at `path`, atomically: written beside it, fsynced, then renamed over it, so the path always
 * holds the old vault or the new one, each complete. An existing vault is replaced only with `force`; it is kept as
 * `<path>.before-restore` until the new vault has opened, and put back if it does not.
 */
export function replaceVaultFile(path: string, image: Buffer, expectedVaultId: string, options: { force: boolean }): void {
  const had = existsSync(path);
  if (had && !options.force) throw new AppFailure('vault-exists', `A vault already exists at ${path}.`);
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const stale of readdirSync(dir).filter((f) => f.startsWith(`${basename(path)}.restoring-`))) rmSync(join(dir, stale), { force: true });
  if (had) quiesce(path);
  const temp = `${path}.restoring-${randomBytes(6).toString('hex')}`;
  writeDurably(temp, toRollbackMode(image));
  const before = `${path}.before-restore`;
  try {
    if (had) {
      if (existsSync(before)) renameSync(before, `${before}-${Date.now()}`);
      linkSync(path, before);
      renameSync(temp, path);
    } else {
      linkSync(temp, path); // fails if a vault appeared meanwhile: never overwrite one unless forced
      rmSync(temp, { force: true });
    }
    fsyncDir(dir);
  } catch (error) {
    rmSync(temp, { force: true });
    throw translateDbError(error);
  }
  try {
    const db = openVaultDb(path);
    const core = new VaultCore(db);
    db.close();
    if (core.vaultId !== expectedVaultId) throw notAVault('its identity changed on disk');
  } catch (error) {
    if (had) renameSync(before, path);
    else rmSync(path, { force: true });
    fsyncDir(dir);
    throw error;
  }
  if (had) rmSync(before, { force: true });
}

/**
 * Makes sure no other connection has the old vault open and folds its -wal into it, so the new file is never paired
 * with the old file's write-ahead log. Leaving WAL mode needs every other connection closed.
 */
function quiesce(path: string): void {
  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 2000 });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw busyVault();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof AppFailure) throw error;
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) throw busyVault();
    // A damaged old vault (the reason to restore) cannot be checkpointed: its -wal goes aside with it below.
  } finally {
    db?.close();
  }
  if (existsSync(`${path}-wal`)) renameSync(`${path}-wal`, `${path}.before-restore-wal`);
  rmSync(`${path}-shm`, { force: true });
}

const busyVault = () =>
  new AppFailure('vault-busy', 'The vault is open in Token Vault (the app or another command). Close it, then restore.');

/** Bytes 18-19 of a SQLite header say WAL (2) or rollback journal (1); an image has no -wal file to go with it. */
function toRollbackMode(image: Buffer): Buffer {
  if (image.length >= 20) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}

function writeDurably(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
