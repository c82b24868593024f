import { create } from 'zustand';
import type { VaultState } from '../../../shared/ipc/vault-channels';
import type { AppError } from '../../../shared/result';

export interface SessionState {
  /** What main says about the vault; undefined until the first answer. */
  vault?: VaultState;
  /** The last failure of a session action, shown next to the form that caused it. */
  error?: AppError;
  /** A request is under way: buttons are disabled meanwhile. */
  busy: boolean;
}

export interface SessionActions {
  refresh(): Promise<void>;
  createVault(input: { password?: string; useKeychain: boolean }): Promise<void>;
  unlock(password?: string): Promise<void>;
  lock(): Promise<void>;
  /** Main locked the vault on its own (idle, screen lock, suspend). */
  lockedByMain(): void;
}

export const useSession = create<SessionState & SessionActions>()((set, get) => {
  const run = async (call: () => Promise<{ ok: true; value: VaultState } | { ok: false; error: AppError }>) => {
    set({ busy: true, error: undefined });
    const result = await call();
    set(result.ok ? { vault: result.value, busy: false } : { error: result.error, busy: false });
  };
  return {
    busy: false,
    refresh: () => run(() => window.tokenVault.vault.getState()),
    createVault: (input) => run(() => window.tokenVault.vault.create(input)),
    unlock: (password) => run(() => window.tokenVault.vault.unlock(password === undefined ? {} : { password })),
    lock: () => run(() => window.tokenVault.vault.lock()),
    lockedByMain: () => {
      const vault = get().vault;
      if (vault) set({ vault: { ...vault, unlocked: false } });
    },
  };
});
