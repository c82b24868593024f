import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure } from '../../errors';

/**
 * One sync at a time per share on this machine (the app and the command line may both try). The lock is a file
 * holding the owner's pid; a lock whose owner is dead (kill -9) is stale and taken over.
 *
 * Correctness does not rest on this lock: `applySync` is compare-and-set on the share's bookkeeping and on each
 * record's revision, so two syncs that slipped past each other just make one of them start again. The lock keeps
 * them from fighting over the private repository's git lock files.
 */
export interface SyncLock {
  release(): void;
  /** The previous owner died holding the lock (so git may have left lock files behind). */
  readonly tookOverStale: boolean;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireSyncLock(dir: string): SyncLock {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'sync.lock');
  let tookOverStale = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        tookOverStale,
        release: () => {
          try {
            if (readFileSync(path, 'utf8') === String(process.pid)) rmSync(path, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: number;
    try {
      owner = Number(readFileSync(path, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (alive(owner)) throw new AppFailure('share-busy', 'Another Token Vault process is syncing this share right now. Try again in a moment.');
    // Stale: move it aside under a name of our own (only one taker wins the rename), then try again.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      rmSync(`${path}.stale-${process.pid}`, { force: true });
      tookOverStale = true;
    } catch {
      // someone else took it over first
    }
  }
  throw new AppFailure('share-busy', 'Another Token Vault process is syncing this share right now. Try again in a moment.');
}
