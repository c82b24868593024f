import type { vaultChannels } from '../../shared/ipc/vault-channels';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** vault:* — create, unlock and lock the vault, its password and keychain slots, its settings. */
export function createVaultHandlers({ session }: Pick<HandlerContext, 'session'>): HandlersOf<typeof vaultChannels> {
  return {
    'vault:get-state': () => session.state(),
    'vault:create': async (input) => {
      await session.create(input);
      return session.state();
    },
    'vault:unlock': async ({ password }) => {
      await session.unlock(password);
      return session.state();
    },
    'vault:lock': () => {
      session.lock('user');
      return session.state();
    },
    'vault:change-password': async ({ currentPassword, newPassword }) => {
      await session.changePassword(currentPassword, newPassword);
      return session.state();
    },
    'vault:set-keychain-unlock': async ({ enabled }) => {
      await session.setKeychainUnlock(enabled);
      return session.state();
    },
    'vault:get-settings': () => session.requireVault().settings.get(),
    'vault:update-settings': (patch) => session.requireUnlocked().settings.update(definedOnly(patch)),
  };
}
