import { AppFailure } from '../main/errors';

/**
 * The one place a file-system failure that reached the top (a directory where a file belongs, no permission, a full
 * disk) becomes a typed error that says what is wrong, instead of "unexpected failure". `vaultPath` names the vault
 * when SQLite could not open it (its errors carry no path).
 */
const WORDS: Record<string, string> = {
  EISDIR: 'is a directory, not a file',
  ERR_FS_EISDIR: 'is a directory, not a file',
  ENOTDIR: 'has a part that is not a directory',
  EACCES: 'is not accessible (permission denied)',
  EPERM: 'is not accessible (operation not permitted)',
  ENOSPC: 'cannot be written: the disk is full',
  EROFS: 'cannot be written: the file system is read-only',
  ENAMETOOLONG: 'is too long a name',
};

export function fileFailure(error: unknown, vaultPath: string | undefined): AppFailure | null {
  const e = error as { code?: unknown; path?: unknown } | null;
  if (typeof e?.code !== 'string') return null;
  if (e.code === 'SQLITE_CANTOPEN')
    return new AppFailure('invalid-argument', `The vault ${vaultPath ?? ''} cannot be opened: is it a directory, or in a folder that does not exist? Nothing was changed.`.replace('  ', ' '));
  const words = WORDS[e.code];
  if (!words) return null;
  return new AppFailure('invalid-argument', `${typeof e.path === 'string' ? e.path : 'A file'} ${words} (${e.code}). Nothing more was changed.`);
}
