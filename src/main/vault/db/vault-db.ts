import type BetterSqlite3 from 'better-sqlite3';
import BetterSqlite3Module from 'better-sqlite3';
import { createRequire } from 'node:module';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { type } from 'node:os';
import { dirname, join } from 'node:path';
import { AppFailure } from '../../errors';
import { LATEST_SCHEMA_VERSION, runMigrations } from './migrations';
import { AUDIT_TRIGGERS } from './migrations/001-initial';

/**
 * better-sqlite3's JavaScript is bundled into this chunk (electron.vite.config.ts): required from node_modules, Node's
 * loader resolved and read its 13 files one by one, 7 ms of every command-line start that opens the vault. Bundled,
 * its own search for the binary looks beside the chunk, so each open names the binary: the one the package built
 * from source, else its prebuilt one for this platform (Node from npm and Electron are glibc builds; under a musl
 * Node the package's musl binary). Where neither is found, the package's own error says so.
 */
const Bundled = BetterSqlite3Module as typeof BetterSqlite3;
let binding: string | undefined;
function nativeBinding(): string | undefined {
  if (binding !== undefined) return binding;
  const dir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  const built = join(dir, 'build', 'Release', 'better_sqlite3.node');
  const prebuilt = join(dir, 'prebuilds', `${isMuslNode() ? 'linuxmusl' : systemName()}-${process.arch}.node`);
  binding = existsSync(built) ? built : existsSync(prebuilt) ? prebuilt : undefined;
  return binding;
}
/**
 * The system the process runs on, named as the package names its binaries: from the kernel (uname), which is what a
 * binary must match. process.platform says the same, except where a test sets it to stand in for another system.
 */
const systemName = (): string => ({ Linux: 'linux', Darwin: 'darwin', Windows_NT: 'win32' })[type()] ?? process.platform;
/** The package's own test: which C library's loader this process runs under (its report's, without /proc). */
function isMuslNode(): boolean {
  if (systemName() !== 'linux') return false;
  try {
    const maps = readFileSync('/proc/self/maps', 'latin1');
    if (/\/ld-musl-[^/\s]*\.so/.test(maps)) return true;
    if (/\/(?:ld-linux[^/\s]*|libc)\.so\.\d/.test(maps)) return false;
  } catch {
    // no /proc: ask the report below
  }
  return !(process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
}
export const Database = class Database extends Bundled {
  constructor(file?: string | Buffer, options: BetterSqlite3.Options = {}) {
    super(file, { nativeBinding: nativeBinding(), ...options });
  }
} as typeof BetterSqlite3;
export type Db = BetterSqlite3.Database;

/** 'TokV': marks a SQLite file as a Token Vault, so we never migrate someone else's database. */
export const APPLICATION_ID = 0x546f6b56;
const BUSY_TIMEOUT_MS = 10_000;
/** The first release's format: opened as is, upgraded at the first unlock (keys/format1-upgrade.ts). */
export const FORMAT_UPGRADED_AT_UNLOCK = 1;

const corrupt = (why: string) =>
  new AppFailure(
    'vault-corrupt',
    `The vault file is damaged (${why}). Token Vault left it untouched: restore it from a backup or choose another file.`,
  );

/**
 * Cheap checks on the raw file before SQLite sees it: the magic header, and a size that covers every page the header
 * claims (a truncated copy would otherwise show up as missing rows, not as an error).
 */
export function precheckFile(path: string): void {
  const link = lstatSync(path);
  if (link.isSymbolicLink() && !existsSync(path))
    throw new AppFailure('vault-missing', `The vault path ${path} is a link to ${readlinkSync(path)}, which does not exist.`);
  const stat = statSync(path);
  if (stat.isDirectory()) throw new AppFailure('invalid-argument', `The vault path ${path} is a folder, not a vault file. Point to the vault.db inside it.`);
  if (!stat.isFile()) throw corrupt('not a regular file');
  const size = stat.size;
  if (size < 100) throw corrupt(size === 0 ? 'the file is empty' : 'the file is truncated');
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') throw corrupt('not a vault file');
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw corrupt('bad header');
  const pageCount = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  if (countValid && pageCount > 0 && size < pageCount * pageSize) throw corrupt('the file is truncated');
  if (size % pageSize !== 0) throw corrupt('the file is truncated');
}

/** Something is at `path`, if only a link to nothing. */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** SQLite errors become the vault's typed failures; anything else passes through. */
export function translateDbError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new AppFailure('vault-busy', 'The vault is busy in another Token Vault process. Try again in a moment.');
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_IOERR_SHORT_READ'))
    return corrupt('the database structure is broken');
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
    return new AppFailure('vault-busy', 'The vault file cannot be written here. Check its permissions and free disk space.');
  if (code === 'SQLITE_FULL') return new AppFailure('vault-busy', 'The disk is full: nothing was saved. Free some space and try again.');
  return error;
}

export interface OpenDbOptions {
  /** A fresh file (Vault.create): set the application id and run every migration. */
  create?: boolean;
}

/**
 * Opens the vault file for reading and writing, refusing (without writing a byte) a file that is not a vault, is
 * damaged, or was written by a newer Token Vault. WAL lets the app and the CLI work on it at the same time;
 * synchronous=FULL makes every acknowledged commit durable.
 */
export function openVaultDb(path: string, options: OpenDbOptions = {}): Db {
  if (!options.create) {
    if (!existsSync(path) && !isLink(path))
      throw new AppFailure('vault-missing', `No vault at ${path}.`, { next: 'create-vault' });
    precheckFile(path);
  }
  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: !options.create, timeout: BUSY_TIMEOUT_MS });
    // Look before writing anything: opening writes nothing, and the checks below only read the header, so a
    // foreign, damaged or newer file is refused before journal_mode or a migration could touch it.
    if (!options.create) checkIdentity(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // SQLite's default page cache (2 MiB) is smaller than the pages one import of 10,000 tokens dirties (rows, audit,
    // indexes, shards: ~12 MiB), so it spilled them mid-transaction and read some back: 15% of the import's write.
    // The cache grows only as pages are used, up to this bound.
    db.pragma('cache_size = -32768');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (options.create) db.pragma(`application_id = ${APPLICATION_ID}`);
    // Format 1 (before row authentication) stays as it is until its first unlock, which upgrades it in one
    // transaction (keys/format1-upgrade.ts: migration 002 needs the data key). Its clear columns read as before.
    try {
      runMigrations(db, (db.pragma('user_version', { simple: true }) as number) === FORMAT_UPGRADED_AT_UNLOCK ? FORMAT_UPGRADED_AT_UNLOCK : LATEST_SCHEMA_VERSION);
    } catch (error) {
      // A step that does not apply (a column it adds is there already): the format number was lowered by hand.
      if ((error as { code?: unknown }).code === 'SQLITE_ERROR') throw corrupt('its format number does not match its tables');
      throw error;
    }
    return db;
  } catch (error) {
    db?.close();
    throw translateDbError(error);
  }
}

/**
 * A Token Vault file, by its header: the application id, then no view and no trigger Token Vault did not make. Either
 * could run anything when the vault reads or writes (a recursive view named like a table never returns).
 */
export function checkIdentity(db: Db): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) throw corrupt('not a Token Vault file');
  for (const [type, name, sql] of db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger')").raw().all() as [string, string, string][])
    if (type !== 'trigger' || AUDIT_TRIGGERS.get(name) !== sql) throw corrupt(`it holds a ${type} Token Vault never makes`);
  const version = db.pragma('user_version', { simple: true }) as number;
  // A Token Vault file always has a schema: 0 means its header was edited (migrating it would write over it).
  if (version < 1) throw corrupt('its format number was changed');
  if (version > LATEST_SCHEMA_VERSION)
    throw new AppFailure(
      'vault-too-new',
      `This vault was written by a newer Token Vault (format ${version}; this one reads up to ${LATEST_SCHEMA_VERSION}). Update Token Vault; the file was not changed.`,
    );

}
