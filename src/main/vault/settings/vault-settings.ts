import { checkSettings, DEFAULT_SETTINGS, SETTINGS_BOUNDS, type VaultSettings } from '../../../shared/vault-settings';
import { AppFailure } from '../../errors';
import { definedOnly, settingsCanon, type VaultCore } from '../db/vault-core';

// Settings are clear JSON values, one row per key, so they work while the vault is locked. Their shape and bounds are
// defined once in src/shared/vault-settings.ts. They are written only while unlocked, and the manifest vouches for
// them (db/row-auth.ts): once unlocked, settings edited in the file (auto-lock off...) are refused as tampering.
// While locked they cannot be checked; a value that is not even readable falls back to its default.

const WHY: Record<keyof VaultSettings, string> = {
  autoLockMinutes: `autoLockMinutes: ${SETTINGS_BOUNDS.autoLockMinutes.min} to ${SETTINGS_BOUNDS.autoLockMinutes.max} minutes`,
  clipboardClearSeconds: `clipboardClearSeconds: ${SETTINGS_BOUNDS.clipboardClearSeconds.min} to ${SETTINGS_BOUNDS.clipboardClearSeconds.max} seconds`,
  warningDays: `warningDays: up to ${SETTINGS_BOUNDS.warningDays.maxCount} whole numbers of days`,
  lockOnScreenLock: 'lockOnScreenLock: true or false',
  rotationPolicy: `rotationPolicy: null, or every ${SETTINGS_BOUNDS.rotateEveryDays.min} to ${SETTINGS_BOUNDS.rotateEveryDays.max} days counted from 'issue' or 'last-rotation'`,
  dailyBackupKeepDays: `dailyBackupKeepDays: ${SETTINGS_BOUNDS.dailyBackupKeepDays.min} (off) to ${SETTINGS_BOUNDS.dailyBackupKeepDays.max} days`,
  dailyBackupFolder: 'dailyBackupFolder: null or an absolute folder path',
};

export interface VaultSettingsStore {
  get(): VaultSettings;
  update(patch: Partial<VaultSettings>): VaultSettings;
}

export function getSettings(core: VaultCore): VaultSettings {
  if (core.isUnlocked) core.manifest();
  const rows = core.read(() => core.db.prepare('SELECT key, value FROM settings').all()) as { key: string; value: string }[];
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, r.key)) continue;
    try {
      merged[r.key] = JSON.parse(r.value) as unknown;
    } catch {
      // Unreadable: the default stands (and once unlocked, the manifest refuses the edit).
    }
  }
  const parsed = checkSettings(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
}

export function updateSettings(core: VaultCore, patch: Partial<VaultSettings>): VaultSettings {
  const checked = checkSettings({ ...getSettings(core), ...definedOnly(patch) });
  if (!checked.success) throw new AppFailure('invalid-argument', `Invalid setting: ${WHY[checked.problem]}.`);
  core.key();
  core.write(() => {
    // The manifest is read (and the stored settings checked) before they change.
    const manifest = core.changedManifest();
    const put = core.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(checked.data)) put.run(k, JSON.stringify(v));
    manifest.settings = settingsCanon(core.db);
  });
  // Warning ladders and the global policy change every token's reminder state.
  core.touchAll();
  return checked.data;
}

export const vaultSettings = (core: VaultCore): VaultSettingsStore => ({
  get: () => getSettings(core),
  update: (patch) => updateSettings(core, patch),
});
