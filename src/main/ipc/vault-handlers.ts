import type { VaultState } from '../../shared/ipc/vault-channels';
import { AppFailure } from '../errors';
import { Vault } from '../vault/vault';
import type { HandlersFor } from './handlers';
import type { ServiceContext } from './handler-context';

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** vault:* — create, unlock and lock the vault; what the renderer may know about it. */
export function createVaultHandlers({ session }: ServiceContext): HandlersFor<'vault'> {
  const state = async (): Promise<VaultState> => {
    const vault = session.current();
    const methods = vault?.unlockMethods() ?? { password: false, keychain: false };
    return {
      exists: vault !== undefined,
      unlocked: vault?.isUnlocked ?? false,
      keychainAvailable: await session.keychain.isAvailable(),
      keychainUnlock: methods.keychain,
      passwordUnlock: methods.password,
      path: session.path,
    };
  };

  return {
    'vault:get-state': state,

    'vault:create': async ({ password, useKeychain }) => {
      if (session.current()) throw new AppFailure('vault-exists', 'A vault already exists. Unlock it instead.');
      if (useKeychain && !(await session.keychain.isAvailable()) && password === undefined) {
        throw new AppFailure('keychain-unavailable', 'No system keychain answered. Choose a master password instead.');
      }
      const keychain = useKeychain && (await session.keychain.isAvailable());
      session.adopt(await Vault.create(session.path, { useKeychain: keychain, keychain: session.keychain, ...(password === undefined ? {} : { password }) }));
      return state();
    },

    'vault:unlock': async ({ password }) => {
      const vault = session.requireVault();
      if (!vault.isUnlocked) {
        if (password !== undefined && password !== '') await vault.unlockWithPassword(password);
        else if (vault.unlockMethods().keychain) await vault.unlockWithKeychain();
        else throw new AppFailure('wrong-password', 'Enter the master password to unlock the vault.');
      }
      return state();
    },

    'vault:lock': () => {
      session.lock('user');
      return state();
    },

    'vault:change-password': async ({ currentPassword, newPassword }) => {
      const vault = session.requireUnlocked();
      if (vault.unlockMethods().password) {
        // Proves the person at the keyboard knows the current password; a separate handle leaves this one unlocked.
        if (!currentPassword) throw new AppFailure('wrong-password', 'Enter the current master password.');
        const check = Vault.open(session.path, { keychain: session.keychain });
        try {
          await check.unlockWithPassword(currentPassword);
        } finally {
          check.close();
        }
      }
      await vault.changePassword(newPassword);
      return state();
    },

    'vault:set-keychain-unlock': async ({ enabled }) => {
      const vault = session.requireUnlocked();
      if (enabled) await vault.enableKeychainUnlock();
      else await vault.disableKeychainUnlock();
      return state();
    },

    'vault:get-settings': () => session.requireVault().getSettings(),

    'vault:update-settings': (patch) => session.requireUnlocked().updateSettings(definedOnly(patch)),
  };
}
