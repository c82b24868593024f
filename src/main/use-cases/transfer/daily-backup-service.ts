import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DailyBackupStatus } from '../../../shared/ipc/backup-channels';
import { isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import type { VaultSettings } from '../../vault';
import type { Clock, TimerPort } from '../ports';
import { DAILY_BACKUP, localDay, runDailyBackup, type DailyBackupOutcome } from './backup-vault';
import type { BackupVault } from './transfer-ports';

const log = createLogger('daily-backup');

/** How often an unlocked vault is checked for a new day (the app may stay unlocked past midnight). */
export const DAILY_BACKUP_CHECK_MS = 60 * 60 * 1000;

/** The vault as the daily backup needs it: its settings (readable while locked) and, when unlocked, its image. */
export interface DailyBackupVault extends BackupVault {
  readonly isUnlocked: boolean;
  settings: { get(): Pick<VaultSettings, 'dailyBackupKeepDays' | 'dailyBackupFolder'> };
}

/**
 * When the automatic daily backup happens (issue 15): each time the vault unlocks, and on a timer while it stays
 * unlocked, at most one backup a local day. The file of the day is the lock between processes: runDailyBackup writes
 * `vault-YYYY-MM-DD.tvbackup` only if it is not there, so the app and the command line never write two. A failure
 * (a folder that is gone or read-only) never stops the unlock: it is kept for Settings and logged without a secret.
 */
export class DailyBackupService {
  private doneDay: string | null = null;
  private lastError: DailyBackupStatus['lastError'] = null;
  private running: Promise<DailyBackupOutcome | null> | null = null;
  private stopTimer: (() => void) | null = null;

  constructor(
    private readonly deps: {
      vault(): DailyBackupVault | undefined;
      /** The user-data folder's backups/: where backups go unless the user chose a folder. */
      defaultFolder: string;
      clock: Clock;
      timer: TimerPort;
    },
  ) {}

  start(): void {
    this.stop();
    this.stopTimer = this.deps.timer.every(DAILY_BACKUP_CHECK_MS, () => void this.runIfDue());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  folderOf(vault: DailyBackupVault): string {
    return vault.settings.get().dailyBackupFolder ?? this.deps.defaultFolder;
  }

  /** The folder changed: today's backup is due again, there. */
  folderChanged(): void {
    this.doneDay = null;
    this.lastError = null;
  }

  /**
   * Writes today's backup if due (unlocked, on, none today) and prunes; never throws. Concurrent calls share one run.
   * Answers what it did, or null when nothing was due or it failed (see status()).
   */
  runIfDue(): Promise<DailyBackupOutcome | null> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<DailyBackupOutcome | null> {
    const vault = this.deps.vault();
    if (!vault?.isUnlocked) return null;
    const now = this.deps.clock.now();
    const today = localDay(now);
    if (this.doneDay === today || vault.settings.get().dailyBackupKeepDays <= 0) return null;
    try {
      const outcome = await runDailyBackup(vault, { dir: this.folderOf(vault), now });
      this.doneDay = today;
      this.lastError = null;
      if (outcome.written) log.info('daily backup written', { pruned: outcome.pruned.length });
      return outcome;
    } catch (error) {
      // Locked meanwhile: not the folder's fault; the next unlock tries again.
      if (isAppFailure(error) && error.code === 'vault-locked') return null;
      this.lastError = isAppFailure(error)
        ? { code: error.code, message: error.message, at: now.toISOString() }
        : { code: 'internal', message: 'The daily backup failed unexpectedly.', at: now.toISOString() };
      log.warn('daily backup failed', { code: this.lastError.code });
      return null;
    }
  }

  status(vault: DailyBackupVault): DailyBackupStatus {
    const settings = vault.settings.get();
    const folder = this.folderOf(vault);
    return {
      keepDays: settings.dailyBackupKeepDays,
      folder,
      customFolder: settings.dailyBackupFolder !== null,
      lastBackup: newestBackup(folder),
      lastError: this.lastError,
    };
  }
}

function newestBackup(folder: string): DailyBackupStatus['lastBackup'] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((f) => DAILY_BACKUP.test(f)).sort();
  } catch {
    return null;
  }
  const fileName = names[names.length - 1];
  const day = fileName ? DAILY_BACKUP.exec(fileName)?.[1] : undefined;
  if (!fileName || !day) return null;
  try {
    return { fileName, day, at: statSync(join(folder, fileName)).mtime.toISOString() };
  } catch {
    return null;
  }
}
