import { create } from 'zustand';
import type { VaultState } from '../../../shared/ipc/vault-channels';
import type { VaultSettings } from '../../../shared/vault-settings';
import type { AppError } from '../../../shared/result';

/** The vault as the window knows it: exists, locked or not, how it unlocks, its settings. Never key material. */
export interface VaultStoreState {
  /** What main says about the vault; undefined until the first answer. */
  vault?: VaultState;
  /** The last failure of a vault action (create, unlock, lock), shown next to the form that caused it. */
  error?: AppError;
  /** A request is under way: buttons are disabled meanwhile. */
  busy: boolean;
  /** Auto-lock, clipboard and warning settings (kept in the vault, readable while locked). */
  settings?: VaultSettings;
  /** Why main last locked the vault, shown on the lock screen. */
  lockReason?: string;
}

export interface VaultStoreActions {
  refresh(): Promise<void>;
  createVault(input: { password?: string; useKeychain: boolean }): Promise<void>;
  unlock(password?: string): Promise<void>;
  lock(): Promise<void>;
  /** Main locked the vault on its own (idle, screen lock, suspend). */
  lockedByMain(reason?: string): void;
  loadSettings(): Promise<void>;
  /** Re-wraps the vault key with a new master password; returns the failure, if any, for the form. */
  changePassword(input: { currentPassword?: string; newPassword: string }): Promise<AppError | undefined>;
  /** Turns unlocking through the OS keychain on or off; returns the failure, if any. */
  setKeychainUnlock(enabled: boolean): Promise<AppError | undefined>;
  /** Saves a partial change; returns the failure, if any, for the settings form. */
  saveSettings(patch: Partial<VaultSettings>): Promise<AppError | undefined>;
}

export const useVault = create<VaultStoreState & VaultStoreActions>()((set, get) => {
  const run = async (call: () => Promise<{ ok: true; value: VaultState } | { ok: false; error: AppError }>) => {
    set({ busy: true, error: undefined });
    const result = await call();
    set(result.ok ? { vault: result.value, busy: false, lockReason: undefined } : { error: result.error, busy: false });
  };
  return {
    busy: false,
    refresh: () => run(() => window.tokenVault.vault.getState()),
    createVault: (input) => run(() => window.tokenVault.vault.create(input)),
    unlock: (password) => run(() => window.tokenVault.vault.unlock(password === undefined ? {} : { password })),
    lock: () => run(() => window.tokenVault.vault.lock()),
    lockedByMain: (reason) => {
      const vault = get().vault;
      if (vault) set({ vault: { ...vault, unlocked: false }, lockReason: reason });
    },
    loadSettings: async () => {
      const result = await window.tokenVault.vault.getSettings();
      if (result.ok) set({ settings: result.value });
    },
    changePassword: async (input) => {
      const result = await window.tokenVault.vault.changePassword(input);
      if (!result.ok) return result.error;
      set({ vault: result.value });
      return undefined;
    },
    setKeychainUnlock: async (enabled) => {
      const result = await window.tokenVault.vault.setKeychainUnlock({ enabled });
      if (!result.ok) return result.error;
      set({ vault: result.value });
      return undefined;
    },
    saveSettings: async (patch) => {
      const result = await window.tokenVault.vault.updateSettings(patch);
      if (!result.ok) return result.error;
      set({ settings: result.value });
      return undefined;
    },
  };
});
