import { z } from 'zod';
import { SETTINGS_BOUNDS, type VaultSettings } from '../vault-settings';
import { RotationPolicyInput } from './common-schemas';
import { MUTATES, returns } from './define-channel';

/** What the renderer may know about the vault: never key material, never a secret. */
export interface VaultState {
  /** A vault file exists at the configured path. */
  exists: boolean;
  unlocked: boolean;
  /** A Secret Service / keychain answered on this machine. */
  keychainAvailable: boolean;
  /** The data key is also wrapped by a key in the OS keychain, so unlock needs no password. */
  keychainUnlock: boolean;
  /** The data key is wrapped by a master password. */
  passwordUnlock: boolean;
  /** Where the vault file lives, shown in settings. */
  path: string;
}

const Password = z.string().min(8, 'The master password needs at least 8 characters.').max(1024);

export const CreateVaultInput = z
  .object({ password: Password.optional(), useKeychain: z.boolean() })
  .strict()
  .refine((v) => v.useKeychain || v.password !== undefined, {
    message: 'Without the OS keychain, a master password is required.',
  });

export const UnlockVaultInput = z
  .object({ password: z.string().max(1024).optional() })
  .strict();

export const ChangePasswordInput = z
  .object({ currentPassword: z.string().max(1024).optional(), newPassword: Password })
  .strict();

export const SetKeychainUnlockInput = z.object({ enabled: z.boolean() }).strict();

const bounded = (b: { min: number; max: number }) => z.number().int().min(b.min).max(b.max);

/** A partial settings change, bounded by the one definition in src/shared/vault-settings.ts. */
export const UpdateSettingsInput = z
  .object({
    autoLockMinutes: bounded(SETTINGS_BOUNDS.autoLockMinutes).optional(),
    clipboardClearSeconds: bounded(SETTINGS_BOUNDS.clipboardClearSeconds).optional(),
    warningDays: z.array(bounded(SETTINGS_BOUNDS.warningDays)).max(SETTINGS_BOUNDS.warningDays.maxCount).optional(),
    lockOnScreenLock: z.boolean().optional(),
    rotationPolicy: RotationPolicyInput.nullable().optional(),
    dailyBackupKeepDays: bounded(SETTINGS_BOUNDS.dailyBackupKeepDays).optional(),
    reauthMinutes: bounded(SETTINGS_BOUNDS.reauthMinutes).optional(),
  })
  .strict() satisfies z.ZodType<Partial<VaultSettings>>;

export type LockReason = 'user' | 'idle' | 'screen-locked' | 'suspend' | 'quit';

export const vaultChannels = {
  'vault:get-state': returns<VaultState>().takes(z.undefined()),
  /** Creating and unlocking bring names into the reminders (notification text) and may reveal thresholds crossed. */
  'vault:create': returns<VaultState>().takes(CreateVaultInput, MUTATES),
  'vault:unlock': returns<VaultState>().takes(UnlockVaultInput, MUTATES),
  'vault:lock': returns<VaultState>().takes(z.undefined()),
  /** Re-checks the current password when the vault has one, then re-wraps the data key. */
  'vault:change-password': returns<VaultState>().takes(ChangePasswordInput),
  'vault:set-keychain-unlock': returns<VaultState>().takes(SetKeychainUnlockInput),
  'vault:get-settings': returns<VaultSettings>().takes(z.undefined()),
  /** Warning ladder and global rotation policy change what every token reminds. */
  'vault:update-settings': returns<VaultSettings>().takes(UpdateSettingsInput, MUTATES),
} as const;

export interface VaultEvents {
  /** Main locked the vault (idle, screen lock, suspend or the user): the renderer drops everything it holds. */
  'vault:locked': { reason: LockReason };
}
