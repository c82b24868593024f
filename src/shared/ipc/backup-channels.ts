import { z } from 'zod';
import type { ErrorCode } from '../result';
import { MUTATES, returns } from './define-channel';

/** The automatic daily backup as Settings shows it: where, how long, the newest one and the last failure. */
export interface DailyBackupStatus {
  /** Days kept (the vault setting dailyBackupKeepDays); 0 = daily backups are off. */
  keepDays: number;
  /** The folder in effect. */
  folder: string;
  /** The user chose the folder (else it is the user-data folder's backups/). */
  customFolder: boolean;
  /** The newest daily backup in the folder, whoever wrote it. */
  lastBackup: { fileName: string; day: string; at: string } | null;
  /** The last attempt's failure in this app session; cleared by the next success. */
  lastError: { code: ErrorCode; message: string; at: string } | null;
}

export const backupChannels = {
  'backup:get-status': returns<DailyBackupStatus>().takes(z.undefined()),
  /** Shows the OS folder dialog in main; the chosen folder becomes the vault's setting (unchanged if cancelled). */
  'backup:choose-folder': returns<DailyBackupStatus>().takes(z.undefined(), MUTATES),
  /** Back to the user-data folder's backups/. */
  'backup:reset-folder': returns<DailyBackupStatus>().takes(z.undefined(), MUTATES),
  /** Writes today's backup now if there is none yet (and prunes), then answers the status with any failure in it. */
  'backup:run-now': returns<DailyBackupStatus>().takes(z.undefined()),
} as const;
