import { z } from 'zod';
import { returns } from './define-channel';

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

/** Settings kept in the vault (clear text: they are read while locked). */
export interface VaultSettingsDto {
  autoLockMinutes: number;
  clipboardClearSeconds: number;
  warningDays: number[];
  lockOnScreenLock: boolean;
  /** The global rotation policy: applies where neither the token nor its workspace has one; null = none. */
  rotationPolicy: { rotateEveryDays: number; basis: 'issue' | 'last-rotation' } | null;
}

const RotationPolicyInput = z
  .object({ rotateEveryDays: z.number().int().min(1).max(3650), basis: z.enum(['issue', 'last-rotation']) })
  .strict();

export const UpdateSettingsInput = z
  .object({
    autoLockMinutes: z.number().int().min(0).max(1440).optional(),
    clipboardClearSeconds: z.number().int().min(0).max(3600).optional(),
    warningDays: z.array(z.number().int().min(0).max(3650)).max(10).optional(),
    lockOnScreenLock: z.boolean().optional(),
    rotationPolicy: RotationPolicyInput.nullable().optional(),
  })
  .strict();

export type LockReason = 'user' | 'idle' | 'screen-locked' | 'suspend' | 'quit';

export const vaultChannels = {
  'vault:get-state': returns<VaultState>().takes(z.undefined()),
  'vault:create': returns<VaultState>().takes(CreateVaultInput),
  'vault:unlock': returns<VaultState>().takes(UnlockVaultInput),
  'vault:lock': returns<VaultState>().takes(z.undefined()),
  /** Re-checks the current password when the vault has one, then re-wraps the data key. */
  'vault:change-password': returns<VaultState>().takes(ChangePasswordInput),
  'vault:set-keychain-unlock': returns<VaultState>().takes(SetKeychainUnlockInput),
  'vault:get-settings': returns<VaultSettingsDto>().takes(z.undefined()),
  'vault:update-settings': returns<VaultSettingsDto>().takes(UpdateSettingsInput),
} as const;

export interface VaultEvents {
  /** Main locked the vault (idle, screen lock, suspend or the user): the renderer drops everything it holds. */
  'vault:locked': { reason: LockReason };
}
