import type { LockReason } from '../../shared/ipc/vault-channels';
import type { Keychain } from '../vault/keychain';
import type { Handlers } from './handlers';
import { createDesktopHandlers, noDesktop } from '../ipc/desktop-handlers';
import { systemClock, type ClipboardPort, type Clock, type DesktopPort, type EmitEvent, type NotifierPort } from './ports';
import type { ServiceContext } from './service-context';
import { createVaultHandlers } from './vault-handlers';
import { createReminderService, createRemindersHandlers } from './reminders-handlers';
import type { ReminderService } from './reminder-service';
import { createRotationHandlers } from './rotation-handlers';
import { createWorkspaceHandlers } from './workspace-handlers';
import { createTokenViewHandlers } from './token-view-handlers';
import { VaultSession } from './vault-session';

export interface AppServiceOptions {
  /** The app's user-data folder; the vault is `vault.db` in it. */
  userDataDir: string;
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  emit: EmitEvent;
  clock?: Clock;
  keychain?: Keychain;
  /** Links and lock triggers (the Electron shell); none by default. */
  desktop?: DesktopPort;
}

export interface AppService {
  handlers: Handlers;
  session: VaultSession;
  /** Badge/tray count, notifications, `reminders:changed`; refreshed after unlock and every change. */
  reminders: ReminderService;
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
  const reminders = createReminderService(ctx);
  const vaultHandlers = createVaultHandlers(ctx);
  // Unlocking brings names (notification text) and may reveal thresholds crossed while the app was closed.
  const thenRefreshReminders =
    <I, O>(handler: (input: I) => O | Promise<O>) =>
    async (input: I): Promise<O> => {
      const out = await handler(input);
      reminders.changed();
      return out;
    };
  const handlers = {
    ...vaultHandlers,
    'vault:unlock': thenRefreshReminders(vaultHandlers['vault:unlock']),
    'vault:create': thenRefreshReminders(vaultHandlers['vault:create']),
    ...createRemindersHandlers(reminders),
    ...createRotationHandlers(ctx, reminders),
    ...createWorkspaceHandlers(ctx),
    ...createTokenViewHandlers(ctx, reminders),
    ...createDesktopHandlers(session, options.desktop ?? noDesktop()),
  } satisfies Handlers;
  // Badge, tray count and notifications from the first second, locked or not (clear columns only).
  reminders.start();
  return {
    handlers,
    session,
    reminders,
    lock: (reason) => session.lock(reason),
    lockIfIdle: (idleSeconds) => session.lockIfIdle(idleSeconds),
    close: () => {
      reminders.stop();
      session.close();
    },
  };
}
