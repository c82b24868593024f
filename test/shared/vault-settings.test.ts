import { describe, expect, it } from 'vitest';
import { UpdateSettingsInput } from '../../src/shared/ipc/vault-channels';
import { checkSettings, DEFAULT_SETTINGS, SETTINGS_BOUNDS, type VaultSettings } from '../../src/shared/vault-settings';

/**
 * One definition of the settings' bounds (SETTINGS_BOUNDS), two checkers: the IPC schema (zod) and the vault's
 * zod-free check (the command line must not pay zod's start-up). They must give the same answer for every value.
 */
const b = SETTINGS_BOUNDS;
/** Set only by main, after the OS folder dialog: the window cannot name it (see UpdateSettingsInput). */
type MainOnly = 'dailyBackupFolder';
const CASES: { [K in Exclude<keyof VaultSettings, MainOnly>]: unknown[] } = {
  autoLockMinutes: [b.autoLockMinutes.min - 1, b.autoLockMinutes.min, 15, b.autoLockMinutes.max, b.autoLockMinutes.max + 1, 1.5, '15', null],
  clipboardClearSeconds: [b.clipboardClearSeconds.min - 1, b.clipboardClearSeconds.min, 30, b.clipboardClearSeconds.max, b.clipboardClearSeconds.max + 1, 2.5, '30'],
  warningDays: [[], [30, 7, 1], [b.warningDays.max], [b.warningDays.max + 1], [b.warningDays.min - 1], Array.from({ length: b.warningDays.maxCount }, (_, i) => i), Array.from({ length: b.warningDays.maxCount + 1 }, (_, i) => i), [1.5], 'x'],
  lockOnScreenLock: [true, false, 'yes', 1],
  rotationPolicy: [
    null,
    { rotateEveryDays: b.rotateEveryDays.min, basis: 'issue' },
    { rotateEveryDays: b.rotateEveryDays.max, basis: 'last-rotation' },
    { rotateEveryDays: b.rotateEveryDays.min - 1, basis: 'issue' },
    { rotateEveryDays: b.rotateEveryDays.max + 1, basis: 'issue' },
    { rotateEveryDays: 90, basis: 'creation' },
    { rotateEveryDays: 90, basis: 'issue', extra: 1 },
    { rotateEveryDays: 90 },
  ],
  dailyBackupKeepDays: [b.dailyBackupKeepDays.min - 1, b.dailyBackupKeepDays.min, 7, b.dailyBackupKeepDays.max, b.dailyBackupKeepDays.max + 1, 1.5, '7'],
};

describe('settings bounds: the IPC schema and the vault agree', () => {
  for (const [field, values] of Object.entries(CASES)) {
    it.each(values.map((v) => [JSON.stringify(v), v]))(`${field} = %s`, (_label, value) => {
      const viaIpc = UpdateSettingsInput.safeParse({ [field]: value }).success;
      const viaVault = checkSettings({ ...DEFAULT_SETTINGS, [field]: value }).success;
      expect(viaVault).toBe(viaIpc);
    });
  }

  it('the defaults are within the bounds', () => {
    expect(checkSettings({ ...DEFAULT_SETTINGS }).success).toBe(true);
    const { dailyBackupFolder: _mainOnly, ...settable } = DEFAULT_SETTINGS;
    expect(UpdateSettingsInput.safeParse(settable).success).toBe(true);
  });

  it('the backup folder: the window cannot set it; the vault takes null or an absolute path only', () => {
    expect(UpdateSettingsInput.safeParse({ dailyBackupFolder: '/tmp' }).success).toBe(false);
    expect(UpdateSettingsInput.safeParse({ dailyBackupFolder: null }).success).toBe(false);
    const folder = (v: unknown) => checkSettings({ ...DEFAULT_SETTINGS, dailyBackupFolder: v }).success;
    for (const ok of [null, '/home/me/backups', 'C:\\Users\\me', 'D:/b', '\\\\server\\share']) expect(folder(ok), String(ok)).toBe(true);
    for (const bad of ['backups', '', './b', 'a/b', 7, '/x\u0000y', `/${'a'.repeat(4096)}`]) expect(folder(bad), String(bad)).toBe(false);
  });
});
