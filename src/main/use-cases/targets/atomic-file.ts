import { randomBytes } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { link, lstat, open, readdir, readFile, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { TargetFailure } from './target-failure';

/** Target files are small; a bigger one is almost certainly the wrong file. */
export const MAX_TARGET_FILE_BYTES = 5 * 1024 * 1024;

interface FileIdentity {
  mode: number;
  uid: number;
  gid: number;
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** A target file as read before an edit: where its bytes really live, and what it was, to notice a change under us. */
export interface FileSnapshot {
  namedPath: string;
  /** The file itself: the named path, or where its symlink leads inside the named folder. */
  realPath: string;
  /** The real folder of realPath: the temp file and the rename happen there. */
  dir: string;
  /** null: the file does not exist yet. */
  content: Buffer | null;
  identity: FileIdentity | null;
}

/** The file changed between our read and our rename: read and edit again. */
export class ConcurrentChange extends Error {
  override readonly name = 'ConcurrentChange';
}

const errno = (e: unknown): string | undefined => (e as { code?: unknown } | null)?.code as string | undefined;

function fsFailure(e: unknown, path: string, doing: 'read' | 'write'): unknown {
  const code = errno(e);
  if (code === 'EACCES' || code === 'EPERM') return new TargetFailure('permission-denied', `Token Vault may not ${doing === 'read' ? 'read' : 'replace'} ${path}.`, doing);
  if (code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT' || code === 'EIO' || code === 'EMFILE' || code === 'ENFILE' || code === 'EBUSY' || code === 'ETXTBSY') {
    return new TargetFailure('io-error', `The disk refused to ${doing === 'read' ? 'read' : 'write'} ${path} (${code}).`, code);
  }
  return e;
}

const identityOf = (s: BigIntStats): FileIdentity => ({
  mode: Number(s.mode & 0o7777n),
  uid: Number(s.uid),
  gid: Number(s.gid),
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs,
});

const sameIdentity = (a: FileIdentity | null, b: FileIdentity | null) =>
  a === null || b === null ? a === b : a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/**
 * Reads a target file for an edit. The folder the user named is resolved (it may itself be reached through links);
 * the file may be a symlink only to somewhere inside that folder, since a link out of it would have us write where
 * the user did not say. Missing file: content null, to be created with mode 0600.
 */
export async function readTargetFile(namedPath: string): Promise<FileSnapshot> {
  const named = resolve(namedPath);
  const base = basename(named);
  let dir: string;
  try {
    dir = await realpath(dirname(named));
  } catch (e) {
    const code = errno(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new TargetFailure('folder-missing', `The folder of ${named} does not exist.`);
    throw fsFailure(e, named, 'read');
  }
  const inFolder = join(dir, base);
  let link;
  try {
    link = await lstat(inFolder);
  } catch (e) {
    if (errno(e) === 'ENOENT') return { namedPath: named, realPath: inFolder, dir, content: null, identity: null };
    throw fsFailure(e, named, 'read');
  }
  let realPath = inFolder;
  if (link.isSymbolicLink()) {
    try {
      realPath = await realpath(inFolder);
    } catch (e) {
      const code = errno(e);
      if (code === 'ENOENT' || code === 'ELOOP') throw new TargetFailure('not-a-regular-file', `${named} is a symbolic link that leads nowhere.`, code === 'ELOOP' ? 'symlink-loop' : 'dangling-symlink');
      throw fsFailure(e, named, 'read');
    }
    if (!realPath.startsWith(dir + sep)) throw new TargetFailure('symlink-outside', `${named} is a symbolic link to a file outside its folder; Token Vault does not follow it there.`);
  }
  // stat before open: opening a FIFO for reading would wait for a writer.
  let st: BigIntStats;
  try {
    st = await stat(realPath, { bigint: true });
  } catch (e) {
    throw fsFailure(e, named, 'read');
  }
  if (!st.isFile()) throw new TargetFailure('not-a-regular-file', `${named} is not a regular file.`);
  if (st.nlink > 1n) throw new TargetFailure('hard-linked', `${named} has other names (hard links) that a replacement would leave with the old content.`);
  if (st.size > BigInt(MAX_TARGET_FILE_BYTES)) throw new TargetFailure('too-large', `${named} is larger than ${MAX_TARGET_FILE_BYTES / 1048576} MB.`);
  let fh: FileHandle | undefined;
  try {
    fh = await open(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = await fh.stat({ bigint: true });
    if (opened.ino !== st.ino || opened.dev !== st.dev) throw new ConcurrentChange();
    const content = await fh.readFile();
    return { namedPath: named, realPath, dir, content, identity: identityOf(opened) };
  } catch (e) {
    if (e instanceof ConcurrentChange) throw e;
    throw fsFailure(e, named, 'read');
  } finally {
    await fh?.close();
  }
}

const TEMP_SUFFIX = '.tmp';
const tempPrefix = (base: string) => `.${base}.tv-`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

/**
 * A writer killed between creating its temp file and the rename leaves the temp behind, with the secret in it.
 * Temps carry their writer's pid; those of dead writers are removed before each write (and a lock a dead writer held).
 */
export async function removeStaleTemps(dir: string, base: string): Promise<number> {
  const prefix = tempPrefix(base);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (name === `${prefix}lock`) {
      const holder = Number(await readFile(join(dir, name), 'utf8').catch(() => ''));
      if (holder > 0 && holder !== process.pid && !alive(holder)) await unlink(join(dir, name)).catch(() => undefined);
      continue;
    }
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const m = /^(\d+)-[0-9a-f]{12}$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      await unlink(join(dir, name));
      removed++;
    } catch {
      // another writer removed it first
    }
  }
  return removed;
}

/** A lock older than this was left by a writer that died inside the few microseconds it is held. */
const STALE_LOCK_MS = 2_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Creates the lock already holding our pid: written to a pid-named temp, then linked to the lock's name (EEXIST when
 * another writer holds it). A lock created empty and then written would, after a kill -9 between the two, name no
 * holder, and nobody could tell at once that it is stale.
 */
async function takeLock(dir: string, base: string, lock: string): Promise<void> {
  const tmp = join(dir, `${tempPrefix(base)}${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await fh.writeFile(String(process.pid));
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, lock);
  } catch (e) {
    const code = errno(e);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // file systems without hard links: the old create-then-write (an empty lock is then aged out)
    const lf = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    await lf.writeFile(String(process.pid));
    await lf.close();
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Token Vault writers (the app and the command line) take turns for the instant between "the file is still what I
 * read" and the rename, so neither undoes the other's edit of another key. Other programs (an editor) do not take
 * it; for them the identity check narrows, but cannot close, the window: last writer wins.
 */
async function withSwapLock(dir: string, base: string, fn: () => Promise<void>): Promise<void> {
  const lock = join(dir, `${tempPrefix(base)}lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await takeLock(dir, base, lock);
      break;
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if ((holder > 0 && holder !== process.pid && !alive(holder)) || since > STALE_LOCK_MS) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new TargetFailure('io-error', 'Another writer kept the file locked; it was left as it was.', 'busy');
      await sleep(1 + Math.random() * 3);
    }
  }
  try {
    await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

async function syncFolder(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    await fh.sync();
  } catch {
    // some file systems cannot fsync a folder; the rename itself is still atomic
  } finally {
    await fh?.close();
  }
}

async function currentIdentity(path: string): Promise<FileIdentity | null> {
  try {
    return identityOf(await stat(path, { bigint: true }));
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Replaces the file with `content` so that any reader, and any crash, sees either the old or the new complete file:
 * a temp file in the same folder (mode 0600 while the secret is written), the old mode and owner, fsync, rename,
 * fsync of the folder. Throws ConcurrentChange when the file changed since `snap` was read, so the caller can
 * edit the newer content instead of overwriting it.
 */
export async function replaceTargetFile(snap: FileSnapshot, content: Buffer): Promise<void> {
  const base = basename(snap.realPath);
  await removeStaleTemps(snap.dir, base);
  const tmp = join(snap.dir, `${tempPrefix(base)}${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  let fh: FileHandle;
  try {
    fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    throw fsFailure(e, snap.namedPath, 'write');
  }
  let placed = false;
  try {
    try {
      await fh.writeFile(content);
      const mode = snap.identity?.mode ?? 0o600;
      await fh.chmod(mode);
      if (snap.identity) {
        const made = await fh.stat();
        if (made.uid !== snap.identity.uid || made.gid !== snap.identity.gid) {
          try {
            await fh.chown(snap.identity.uid, snap.identity.gid);
          } catch {
            throw new TargetFailure('owner-not-preservable', `${snap.namedPath} belongs to another user or group, which its replacement could not be given.`);
          }
          await fh.chmod(mode); // chown clears set-id bits
        }
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await withSwapLock(snap.dir, base, async () => {
      if (!sameIdentity(await currentIdentity(snap.realPath), snap.identity)) throw new ConcurrentChange();
      if (snap.identity) {
        await rename(tmp, snap.realPath);
        placed = true;
        return;
      }
      // link, not rename: a file another process created meanwhile is not overwritten unseen
      try {
        await link(tmp, snap.realPath);
      } catch (e) {
        if (errno(e) === 'EEXIST') throw new ConcurrentChange();
        if (errno(e) !== 'EPERM' && errno(e) !== 'ENOTSUP' && errno(e) !== 'EOPNOTSUPP') throw e;
        await rename(tmp, snap.realPath); // file systems without hard links
      }
      placed = true;
      await unlink(tmp).catch(() => undefined);
    });
    await syncFolder(snap.dir);
  } catch (e) {
    if (!placed) await unlink(tmp).catch(() => undefined);
    if (e instanceof ConcurrentChange || e instanceof TargetFailure) throw e;
    throw fsFailure(e, snap.namedPath, 'write');
  }
}
