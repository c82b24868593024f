import type { LockReason } from '../../shared/ipc/vault-channels';
import { join } from 'node:path';
import { noDialogs, systemClock, systemTimer, type ClipboardPort, type Clock, type DesktopPort, type DialogPort, type EmitEvent, type NotifierPort, type TimerPort } from '../use-cases/ports';
import { ChosenFiles } from '../use-cases/transfer/chosen-files';
import { DailyBackupService } from '../use-cases/transfer/daily-backup-service';
import { ReminderService } from '../use-cases/reminder-service';
import { ShareSyncScheduler, sharingEngineFor, type SharingEngine } from '../use-cases/sharing';
import { RemoteOperations } from '../use-cases/remote-operations';
import { TokenSecrets } from '../use-cases/token-secrets';
import { VaultSession } from '../use-cases/vault-session';
import type { Keychain, ScryptParams, Vault } from '../vault';
import { createLogger } from '../log/redacting-logger';
import { createAfterChange } from './after-change';
import { createBackupHandlers } from './backup-handlers';
import { createShareHandlers } from './share-handlers';
import { createTransferHandlers } from './transfer-handlers';
import { createScanHandlers } from './scan-handlers';
import { createDispatcher, type Dispatch, type SenderInfo } from './dispatcher';
import type { HandlerContext } from './handler-context';
import type { Handlers } from './handlers';
import { createDesktopHandlers, noDesktop } from './desktop-handlers';
import { createOperationsHandlers } from './operations-handlers';
import { createRemindersHandlers } from './reminders-handlers';
import { createRotationHandlers } from './rotation-handlers';
import { createTargetsHandlers } from './targets-handlers';
import { createTokenViewHandlers } from './token-view-handlers';
import { createTokensHandlers } from './tokens-handlers';
import { createTrashHandlers } from './trash-handlers';
import { createVaultHandlers } from './vault-handlers';
import { createWorkspacesHandlers } from './workspaces-handlers';

export interface AppServiceOptions {
  /** The app's user-data folder; the vault is `vault.db` in it. */
  userDataDir: string;
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  emit: EmitEvent;
  clock?: Clock;
  keychain?: Keychain;
  /** The OS file dialogs (import, backup folder); none where there is no desktop. */
  dialogs?: DialogPort;
  /** Timers of the daily backup and of sharing's sync scheduler (tests drive them by hand); default Node's. */
  timer?: TimerPort;
  /** Links and lock triggers (the Electron shell); none by default. */
  desktop?: DesktopPort;
  /** The home folder whose well-known files a scan may include; the user's own by default. */
  home?: string;
  /**
   * scrypt parameters of the vault's new password slots (create, change password); default: calibrated to ~300 ms on
   * this machine. The end-to-end tests pass the floor (CHEAP_SCRYPT): a vault per test, not a KDF timing per test.
   */
  kdf?: ScryptParams;
}

const log = createLogger('app-service');

export interface AppService {
  handlers: Handlers;
  /** The one path from an IPC message to a handler, with the after-change path wired in. */
  dispatcher(isTrustedSender: (sender: SenderInfo) => boolean): Dispatch;
  session: VaultSession;
  /** Badge/tray count, notifications, `reminders:changed`; refreshed on a timer and after every change. */
  reminders: ReminderService;
  /** The automatic daily backup: on every unlock and hourly while unlocked, once a day. */
  backups: DailyBackupService;
  /** Syncs every share at unlock and every 5 minutes while unlocked (issue 14). */
  shareSync: ShareSyncScheduler;
  lock(reason: LockReason): void;
  lockIfIdle(idleSeconds: number): void;
  close(): void;
}

/**
 * The composition root of the main side, in plain Node: the Electron shell, the end-to-end bridge and integration
 * tests all build the service here, so what the tests drive is what the app runs.
 */
export function createAppService(options: AppServiceOptions): AppService {
  const clock = options.clock ?? systemClock;
  const session = VaultSession.inUserData(options.userDataDir, options.emit, options.keychain, () => clock.now().getTime(), options.kdf);
  const reminders = new ReminderService({ vault: () => session.current(), notifier: options.notifier, emit: options.emit, clock });
  const backups = new DailyBackupService({ vault: () => session.current(), defaultFolder: join(options.userDataDir, 'backups'), clock, timer: options.timer ?? systemTimer });
  session.onUnlock(() => void backups.runIfDue());
  const ctx: HandlerContext = {
    session,
    reminders,
    secrets: new TokenSecrets(session, options.clipboard, options.emit),
    operations: new RemoteOperations(options.emit),
    emit: options.emit,
    clock,
    dialogs: options.dialogs ?? noDialogs,
    backups,
    chosenFiles: new ChosenFiles(),
  };
  const afterChange = createAfterChange(ctx);
  // Badge, tray count and notifications from the first second, locked or not (clear columns only).
  reminders.start();

  // One sharing engine per open vault: its in-process queue keeps this window's syncs in order; the lock file in the
  // share's folder keeps them apart from a command line syncing the same vault.
  let engine: { vault: Vault; engine: SharingEngine } | null = null;
  const sharingEngine = (vault: Vault): SharingEngine => {
    if (engine?.vault !== vault) engine = { vault, engine: sharingEngineFor(vault, { onBusy: (teams) => options.emit('share:sync-state', { syncing: teams }) }) };
    return engine.engine;
  };
  const shareSync = new ShareSyncScheduler({
    syncAll: async () => {
      const vault = session.current();
      if (!vault?.isUnlocked || vault.sharing.listShares().length === 0) return [];
      return sharingEngine(vault).sync();
    },
    ...(options.timer ? { timer: options.timer } : {}),
    // What others wrote lands like any other change: reminders recounted, one tokens:changed event.
    onRound: (results) => (results.length > 0 ? afterChange() : undefined),
    onError: (error) => log.warn('a sharing sync round failed', { error: String(error) }),
  });
  const handlers = {
    ...createVaultHandlers(ctx),
    ...createRemindersHandlers(ctx),
    ...createRotationHandlers(ctx),
    ...createTargetsHandlers(ctx),
    ...createWorkspacesHandlers(ctx),
    ...createTokensHandlers(ctx),
    ...createTokenViewHandlers(ctx),
    ...createOperationsHandlers(ctx),
    ...createTrashHandlers(ctx),
    ...createBackupHandlers(ctx),
    ...createTransferHandlers(ctx),
    ...createDesktopHandlers(session, options.desktop ?? noDesktop()),
    ...createShareHandlers(session, sharingEngine, shareSync, options.clipboard),
    ...createScanHandlers(ctx, options.home),
  } satisfies Handlers;
  backups.start();
  session.onUnlock(() => shareSync.start());
  session.onLock(() => shareSync.stop());
  return {
    handlers,
    dispatcher: (isTrustedSender) => createDispatcher(handlers, isTrustedSender, afterChange),
    session,
    reminders,
    backups,
    shareSync,
    lock: (reason) => session.lock(reason),
    lockIfIdle: (idleSeconds) => session.lockIfIdle(idleSeconds),
    close: () => {
      shareSync.stop();
      reminders.stop();
      backups.stop();
      session.close();
    },
  };
}
