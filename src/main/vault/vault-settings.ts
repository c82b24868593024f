import { AppFailure } from '../errors';
import { definedOnly, type VaultCore } from './vault-core';
import { DEFAULT_SETTINGS, type RotationPolicy, type VaultSettings } from './vault-types';

// Settings are clear JSON values, one row per key, so they work while the vault is locked.

// Checked by hand rather than with zod: zod's load time (~50 ms, 15 MB) would dominate every command-line run.
const intIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const SettingsSchema = {
  safeParse(v: Record<string, unknown>): { success: true; data: VaultSettings } | { success: false; why: string } {
    if (!intIn(v['autoLockMinutes'], 0, 24 * 60)) return { success: false, why: 'autoLockMinutes: 0 to 1440 minutes' };
    if (!intIn(v['clipboardClearSeconds'], 0, 3600)) return { success: false, why: 'clipboardClearSeconds: 0 to 3600 seconds' };
    const w = v['warningDays'];
    if (!Array.isArray(w) || w.length > 10 || !w.every((d) => intIn(d, 0, 3650)))
      return { success: false, why: 'warningDays: up to 10 whole numbers of days' };
    if (typeof v['lockOnScreenLock'] !== 'boolean') return { success: false, why: 'lockOnScreenLock: true or false' };
    const p = v['rotationPolicy'] ?? null;
    const policy = p as Partial<RotationPolicy> | null;
    if (
      policy !== null &&
      (typeof policy !== 'object' ||
        Object.keys(policy).some((k) => k !== 'rotateEveryDays' && k !== 'basis') ||
        !intIn(policy.rotateEveryDays, 1, 3650) ||
        (policy.basis !== 'issue' && policy.basis !== 'last-rotation'))
    )
      return { success: false, why: "rotationPolicy: null, or every 1 to 3650 days counted from 'issue' or 'last-rotation'" };
    if (!intIn(v['dailyBackupKeepDays'], 0, 365)) return { success: false, why: 'dailyBackupKeepDays: 0 (off) to 365 days' };
    return {
      success: true,
      data: {
        autoLockMinutes: v['autoLockMinutes'] as number,
        clipboardClearSeconds: v['clipboardClearSeconds'] as number,
        warningDays: [...(w as number[])].sort((a, b) => b - a),
        lockOnScreenLock: v['lockOnScreenLock'],
        rotationPolicy: policy === null ? null : { rotateEveryDays: policy.rotateEveryDays as number, basis: policy.basis as RotationPolicy['basis'] },
        dailyBackupKeepDays: v['dailyBackupKeepDays'] as number,
      },
    };
  },
  parse(v: Record<string, unknown>): VaultSettings {
    const r = SettingsSchema.safeParse(v);
    if (!r.success) throw new AppFailure('invalid-argument', `Invalid setting: ${r.why}.`);
    return r.data;
  },
};

export function getSettings(core: VaultCore): VaultSettings {
  const rows = core.read(() => core.db.prepare('SELECT key, value FROM settings').all()) as { key: string; value: string }[];
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (Object.hasOwn(DEFAULT_SETTINGS, r.key)) merged[r.key] = JSON.parse(r.value) as unknown;
  }
  const parsed = SettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
}

export function updateSettings(core: VaultCore, patch: Partial<VaultSettings>): VaultSettings {
  const next = SettingsSchema.parse({ ...getSettings(core), ...definedOnly(patch) });
  core.write(() => {
    const put = core.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(next)) put.run(k, JSON.stringify(v));
  });
  return next;
}
