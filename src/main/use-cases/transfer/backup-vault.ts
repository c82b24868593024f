import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure } from '../../errors';
import { restoreVaultImage, type ScryptParams } from '../../vault';
import { decodePayload, encodeBackup, openPayloadKey, parseBackup, type BackupUnlock } from './backup-format';
import { readInputFile, writeSecretFile } from './transfer-files';
import type { BackupVault } from './transfer-ports';

export interface BackupReport {
  path: string;
  bytes: number;
  vaultId: string;
  /** Whether a separate backup password also opens it. */
  backupPassword: boolean;
}

/** Writes an encrypted, authenticated backup of the whole vault file (see backup-format.ts), atomically. */
export async function writeBackup(
  vault: BackupVault,
  input: { path: string; replace: boolean; backupPassword?: string; backupKdf?: ScryptParams; now?: Date },
): Promise<BackupReport> {
  const image = vault.transfer.snapshot();
  try {
    const bytes = await encodeBackup(image, (plain, ad) => vault.transfer.sealUnderDataKey(plain, ad), {
      ...(input.backupPassword ? { backupPassword: input.backupPassword } : {}),
      ...(input.backupKdf ? { backupKdf: input.backupKdf } : {}),
      ...(input.now ? { now: input.now } : {}),
    });
    writeSecretFile(input.path, bytes, { replace: input.replace, plaintext: false });
    return { path: input.path, bytes: bytes.length, vaultId: image.vaultId, backupPassword: !!input.backupPassword };
  } finally {
    image.image.fill(0);
  }
}

export interface RestoreReport {
  vaultPath: string;
  vaultId: string;
  createdAt: string;
  /** True when a vault was there before (and was replaced). */
  replaced: boolean;
}

/**
 * Restores a backup to `vaultPath`: everything is decrypted and checked first (a tampered file, a wrong password or
 * an image that is not this vault changes nothing), then the file is put in place atomically. An existing vault is
 * replaced only with `replace`; it stays as `<vault>.before-restore` until the restored vault has opened.
 */
export async function restoreBackup(input: { backupPath: string; vaultPath: string; replace: boolean; unlock: BackupUnlock }): Promise<RestoreReport> {
  const file = readInputFile(input.backupPath);
  const parsed = parseBackup(file);
  const replaced = existsSync(input.vaultPath);
  if (replaced && !input.replace) throw new AppFailure('vault-exists', `A vault already exists at ${input.vaultPath}. Nothing was restored.`);
  const key = await openPayloadKey(parsed, input.unlock);
  let image: Buffer | null = null;
  try {
    image = decodePayload(parsed, key);
    restoreVaultImage(input.vaultPath, image, parsed.header.vaultId, { force: input.replace });
  } finally {
    key.fill(0);
    image?.fill(0);
  }
  return { vaultPath: input.vaultPath, vaultId: parsed.header.vaultId, createdAt: parsed.header.createdAt, replaced };
}


// ---------------------------------------------------------------- the automatic daily backup

export const DAILY_BACKUP = /^vault-(\d{4}-\d{2}-\d{2})\.tvbackup$/;

/** The local calendar day of an instant, YYYY-MM-DD (a daily backup follows the user's day, not UTC's). */
export const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export interface DailyBackupOutcome {
  /** The backup written now, or null when today's already exists or backups are off. */
  written: string | null;
  /** Older daily backups removed (kept: the last `dailyBackupKeepDays` days). */
  pruned: string[];
}

/**
 * The automatic daily backup (issue 15): when the vault's setting `dailyBackupKeepDays` is above 0 and today has no
 * backup yet in `dir` (the user-data folder's backups/), write one; then remove daily backups older than that many
 * days. Only files this function names (vault-YYYY-MM-DD.tvbackup) are ever removed. Call it with an unlocked vault
 * (the backup's payload key is sealed under the data key). DailyBackupService decides when (daily-backup-service.ts).
 */
export async function runDailyBackup(vault: BackupVault, input: { dir: string; now?: Date }): Promise<DailyBackupOutcome> {
  const keep = vault.settings.get().dailyBackupKeepDays;
  const now = input.now ?? new Date();
  const outcome: DailyBackupOutcome = { written: null, pruned: [] };
  if (keep <= 0) return outcome;
  let existing: string[];
  try {
    mkdirSync(input.dir, { recursive: true, mode: 0o700 });
    existing = readdirSync(input.dir).filter((f) => DAILY_BACKUP.test(f));
  } catch (error) {
    throw new AppFailure('cannot-write', `Cannot keep backups in ${input.dir} (${(error as NodeJS.ErrnoException).code ?? 'error'}): choose another folder.`);
  }
  const today = localDay(now);
  if (!existing.includes(`vault-${today}.tvbackup`)) {
    const path = join(input.dir, `vault-${today}.tvbackup`);
    try {
      await writeBackup(vault, { path, replace: false, now });
      outcome.written = path;
    } catch (error) {
      // Another process (the app and the CLI) wrote today's backup a moment ago: that one stands.
      if (!(error instanceof AppFailure && error.code === 'already-exists')) throw error;
    }
  }
  const oldest = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (keep - 1));
  const cutoff = localDay(oldest);
  for (const f of readdirSync(input.dir)) {
    const day = DAILY_BACKUP.exec(f)?.[1];
    if (day && day < cutoff) {
      rmSync(join(input.dir, f), { force: true });
      outcome.pruned.push(join(input.dir, f));
    }
  }
  return outcome;
}
