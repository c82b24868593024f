import { readRotationPolicy, ROTATE_EVERY_DAYS, type RotationPolicy } from './rotation-policy';

/**
 * The vault's settings: one definition of their shape, bounds and defaults. The vault checks what it reads and writes
 * with `checkSettings` (zod-free: zod costs the command line ~90 ms per start, measured); the IPC schema
 * (./ipc/vault-channels.ts) is built from the same SETTINGS_BOUNDS, and a test holds the two to the same answers.
 */
export interface VaultSettings {
  /** Lock after this many idle minutes (0 = never). */
  autoLockMinutes: number;
  /** Clear a copied secret from the clipboard after this many seconds (0 = never). */
  clipboardClearSeconds: number;
  /** Days before expiry at which to warn, e.g. [30, 7, 1]. */
  warningDays: number[];
  lockOnScreenLock: boolean;
  /** Applies where neither the token nor its workspace has a policy of its own; null = none. */
  rotationPolicy: RotationPolicy | null;
  /** Automatic daily backup in the user-data folder, kept this many days; 0 = off (issue 15). */
  dailyBackupKeepDays: number;
  /**
   * Where the daily backups go: an absolute folder the user chose through the OS dialog, or null for the user-data
   * folder's backups/. Set only by main (the window asks main to show the dialog), so it is not in UpdateSettingsInput.
   */
  dailyBackupFolder: string | null;
}

export const SETTINGS_BOUNDS = {
  autoLockMinutes: { min: 0, max: 24 * 60 },
  clipboardClearSeconds: { min: 0, max: 3600 },
  warningDays: { min: 0, max: 3650, maxCount: 10 },
  rotateEveryDays: ROTATE_EVERY_DAYS,
  dailyBackupKeepDays: { min: 0, max: 365 },
  dailyBackupFolder: { maxLength: 4096 },
} as const;

export const DEFAULT_SETTINGS: VaultSettings = {
  autoLockMinutes: 15,
  clipboardClearSeconds: 30,
  warningDays: [30, 7, 1],
  lockOnScreenLock: true,
  rotationPolicy: null,
  dailyBackupKeepDays: 7,
  dailyBackupFolder: null,
};

/** An absolute path on any of the desktop systems (POSIX, a Windows drive or a UNC share); no NUL. */
export const isAbsoluteFolder = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length > 0 &&
  v.length <= SETTINGS_BOUNDS.dailyBackupFolder.maxLength &&
  !v.includes('\u0000') &&
  (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'));

/** Which setting is out of bounds: the presenter words it. */
export type SettingsProblem = keyof VaultSettings;

const intIn = (v: unknown, b: { min: number; max: number }): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= b.min && v <= b.max;

/** A whole settings record checked against SETTINGS_BOUNDS; the warning ladder comes back sorted, longest first. */
export function checkSettings(v: Record<string, unknown>): { success: true; data: VaultSettings } | { success: false; problem: SettingsProblem } {
  const b = SETTINGS_BOUNDS;
  if (!intIn(v['autoLockMinutes'], b.autoLockMinutes)) return { success: false, problem: 'autoLockMinutes' };
  if (!intIn(v['clipboardClearSeconds'], b.clipboardClearSeconds)) return { success: false, problem: 'clipboardClearSeconds' };
  const w = v['warningDays'];
  if (!Array.isArray(w) || w.length > b.warningDays.maxCount || !w.every((d) => intIn(d, b.warningDays)))
    return { success: false, problem: 'warningDays' };
  if (typeof v['lockOnScreenLock'] !== 'boolean') return { success: false, problem: 'lockOnScreenLock' };
  const raw = v['rotationPolicy'] ?? null;
  const policy = raw === null ? null : readRotationPolicy(raw);
  if (policy === undefined) return { success: false, problem: 'rotationPolicy' };
  if (!intIn(v['dailyBackupKeepDays'], b.dailyBackupKeepDays)) return { success: false, problem: 'dailyBackupKeepDays' };
  const folder = v['dailyBackupFolder'] ?? null;
  if (folder !== null && !isAbsoluteFolder(folder)) return { success: false, problem: 'dailyBackupFolder' };
  return {
    success: true,
    data: {
      autoLockMinutes: v['autoLockMinutes'],
      clipboardClearSeconds: v['clipboardClearSeconds'],
      warningDays: [...(w as number[])].sort((x, y) => y - x),
      lockOnScreenLock: v['lockOnScreenLock'],
      rotationPolicy: policy,
      dailyBackupKeepDays: v['dailyBackupKeepDays'],
      dailyBackupFolder: folder,
    },
  };
}
