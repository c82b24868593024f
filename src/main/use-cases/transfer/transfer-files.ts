import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { AppFailure } from '../../errors';

/** Files that hold secrets: how they are read and written (one place, so every format gets the same care). */

const MAX_INPUT = 512 * 1024 * 1024;

/**
 * A file dropped on the window, before main keeps it behind an id: the path came through the renderer process, so it
 * is checked as untrusted. It must be absolute and lead (through any symlinks) to a regular file no larger than an
 * import reads: never a folder, a device, a FIFO or a socket. Returns the resolved path, which is what is read later
 * (readInputFile checks it again then). Messages name the file, never its folder.
 */
export function checkDroppedFile(path: string): string {
  const name = basename(path);
  if (!isAbsolute(path) || name === '') throw new AppFailure('invalid-argument', 'Only a file saved on this computer can be imported: drop the exported file itself.');
  let real: string;
  let st: Stats;
  try {
    real = realpathSync(path);
    st = statSync(real);
  } catch {
    throw new AppFailure('not-found', `Cannot read ${name}: it is gone, or Token Vault may not open it.`);
  }
  if (!st.isFile()) throw new AppFailure('invalid-argument', `${name} is not a file (a folder, a device or the like): drop the exported file itself.`);
  if (st.size > MAX_INPUT) throw new AppFailure('invalid-argument', `${name} is larger than 512 MiB: not an export Token Vault reads.`);
  return real;
}

export function readInputFile(path: string): Buffer {
  checkInputFile(path);
  return readFileSync(path);
}

/** What readInputFile refuses, said before anything else is asked for (a password for a file that is not there). */
export function checkInputFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new AppFailure('not-found', `Cannot read ${path}: no such file.`);
  }
  if (size > MAX_INPUT) throw new AppFailure('invalid-argument', `${path} is larger than 512 MiB: not an export Token Vault reads.`);
}

const exists = (path: string) =>
  new AppFailure('already-exists', `A file already exists at ${path}. Nothing was written: choose another name, or ask to replace it.`);

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  fsyncSync(fd);
}

/**
 * Writes a file that holds secrets. It is created with mode 0600 from the first byte (never loosened, never chmod'ed
 * afterwards) and never replaces an existing file unless `replace`.
 * - encrypted (KDBX, backups): written beside the target and renamed into place, so the path holds the old file or
 *   the whole new one, never a part;
 * - plaintext (.env, CSV): written straight to the path, so no hidden copy of the secrets is ever left beside it
 *   (a crash can leave the named file short, never a stray temp file).
 */
export function writeSecretFile(path: string, bytes: Uint8Array, options: { replace: boolean; plaintext: boolean }): void {
  if (options.plaintext) {
    if (options.replace) rmSync(path, { force: true });
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? exists(path) : cannotWrite(path);
    }
    try {
      writeAll(fd, bytes);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const temp = `${path}.tv-writing-${randomBytes(6).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch {
    throw cannotWrite(path);
  }
  try {
    try {
      writeAll(fd, bytes);
    } finally {
      closeSync(fd);
    }
    if (options.replace) renameSync(temp, path);
    else {
      try {
        linkSync(temp, path); // atomic "create if absent": never replaces a file that appeared meanwhile
      } catch (error) {
        throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? exists(path) : cannotWrite(path);
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

const cannotWrite = (path: string) => new AppFailure('cannot-write', `Cannot write ${path}: check the folder exists and is writable.`);

export function refuseExisting(path: string, replace: boolean): void {
  if (replace) return;
  try {
    statSync(path);
  } catch {
    return;
  }
  throw exists(path);
}
