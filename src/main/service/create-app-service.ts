import type { LockReason } from '../../shared/ipc/vault-channels';
import type { Keychain } from '../vault/keychain';
import type { Handlers } from './handlers';
import { systemClock, type ClipboardPort, type Clock, type EmitEvent, type NotifierPort } from './ports';
import type { ServiceContext } from './service-context';
import { createVaultHandlers } from './vault-handlers';
import { VaultSession } from './vault-session';

export interface AppServiceOptions {
  /** The app's user-data folder; the vault is `vault.db` in it. */
  userDataDir: string;
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  emit: EmitEvent;
  clock?: Clock;
  keychain?: Keychain;
}

export interface AppService {
  handlers: Handlers;
  session: VaultSession;
  lock(reason: LockReason): void;
  lockIfIdle(idleSeconds: number): void;
  close(): void;
}

/**
 * The composition root of the main side, in plain Node: the Electron shell, the end-to-end bridge and integration
 * tests all build the service here, so what the tests drive is what the app runs.
 */
export function createAppService(options: AppServiceOptions): AppService {
  const session = VaultSession.inUserData(options.userDataDir, options.emit, options.keychain);
  const ctx: ServiceContext = {
    session,
    clipboard: options.clipboard,
    notifier: options.notifier,
    emit: options.emit,
    clock: options.clock ?? systemClock,
  };
  const handlers = {
    ...createVaultHandlers(ctx),
  } satisfies Handlers;
  return {
    handlers,
    session,
    lock: (reason) => session.lock(reason),
    lockIfIdle: (idleSeconds) => session.lockIfIdle(idleSeconds),
    close: () => session.close(),
  };
}
