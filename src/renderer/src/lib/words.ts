import type { LockTriggers } from '../../../shared/ipc/desktop-channels';
import type { ConfirmOutcome, RotationFinding, RotationOutcome, RotationReport } from '../../../shared/ipc/rotation-channels';
import type { AppError, NextStep } from '../../../shared/result';
import type { DailyBackupStatus } from '../../../shared/ipc/backup-channels';
import type { FileImportFormat, SkipReason } from '../../../shared/transfer';
import { formatDateTime, formatExpiry } from './format';

/**
 * The window's words for what main returns as codes and structured outcomes. Main never writes these sentences;
 * the command line has its own (src/cli/cli-words.ts) that name its commands and flags, these name the buttons.
 */

export function nextStepWords(next: NextStep): string {
  switch (next) {
    case 'resume':
      return 'Token Vault finishes it the next time you unlock the vault.';
    case 'confirm':
      return 'Deploy it, then confirm: choose "Confirm deployed…" on the old token, and Token Vault revokes it.';
    case 'paste':
      return 'Create the new token on the service\'s page, then choose "Rotate now…" and paste it.';
    case 'revoke-by-hand':
      return "Revoke it on the service's token page: Token Vault cannot do it there.";
    case 'sync':
      return 'Sync the workspace first, so Token Vault knows which token it is.';
    case 'rotate':
      return 'Choose "Rotate now…" instead: Token Vault creates a new token, then revokes this one.';
    case 'create-new':
      return 'Create a new token instead ("New token"), then revoke this one.';
    case 'create-vault':
      return 'Create a vault first.';
    default:
      return next satisfies never;
  }
}

/** An error as the window shows it: main's message, then what to do next in the window's terms. */
export const errorText = (error: Pick<AppError, 'message' | 'next'>): string => (error.next ? `${error.message} ${nextStepWords(error.next)}` : error.message);

/** The Strapi case: the service renewed the token but kept its old expiry. */
export const keptExpiryNote = (service: string, expiresAt: string | null): string =>
  `${service} kept the old expiry (${formatExpiry(expiresAt)}). For a new lifetime, create a new token and revoke this one.`;

/** What the one-time reveal after a rotation says beside the secret: one note, what happened and what is next. */
export function outcomeNotes(out: RotationOutcome): string[] {
  switch (out.kind) {
    case 'renewed':
      return [['The old secret stopped working at once.', ...(out.keptExpiry ? [`The expiry did not change: ${formatExpiry(out.expiresAt)}.`] : [])].join(' ')];
    case 'awaiting-confirmation':
      return out.pasted
        ? [['The pasted token is stored.', nextStepWords('confirm'), nextStepWords('revoke-by-hand')].join(' ')]
        : [['A new token was created beside the old one; both work now.', nextStepWords('confirm')].join(' ')];
    case 'manual':
      return [nextStepWords('paste')];
    default:
      return out satisfies never;
  }
}

export function confirmMessage(out: ConfirmOutcome): string {
  switch (out.state) {
    case 'revoked':
      return `The old token is revoked at ${out.service}; the new one is in use.`;
    case 'scheduled':
      return `The old token keeps working until ${formatDateTime(out.revokeAt)}; Token Vault revokes it after that.`;
    case 'revoke-by-hand':
      return `Marked the old token revoked. Revoke it on ${out.tokenPageUrl ?? 'the service'} too: Token Vault cannot do it for a manual workspace.`;
    default:
      return out.state satisfies never;
  }
}

function findingWords(f: RotationFinding): string {
  switch (f.what) {
    case 'stored-issued-secret':
      return 'The service had issued the new secret before the interruption; it is now stored in the vault and in use.';
    case 'renewed-again':
      return `The interrupted ${f.method} may have reached the service without its answer, so the secret was renewed again: the new one is stored and shown once.`;
    case 'created-again':
      return `The create was interrupted before its answer was saved, so a new token was created now and stored.${f.revokedRemoteId ? ' A token created before the interruption had no saved secret and was revoked.' : ''}`;
    case 'stored-created-token':
      return 'The new token had been created before the interruption; it is now stored.';
    case 'stored-pasted-secret':
      return 'The pasted secret is now stored.';
    case 'revoked-old':
      return `${f.afterGrace ? 'The grace period ended.' : 'The interrupted revoke was finished.'} The old token is revoked at ${f.service}; the new one is in use.`;
    case 'orphans-found':
      return `While the new token was being created, ${f.remoteIds.length} unknown tokens appeared at ${f.service} (ids ${f.remoteIds.join(', ')}). Nobody holds their secrets: revoke them on the service, then rotate again. The old token is unchanged.`;
    case 'successor-unknown':
      return `The service no longer lists the old token as active and its successor could not be found, so its secret is unknown. Create a new token for "${f.tokenName}" and revoke any unknown ones on the service.`;
    case 'failed':
      return f.message;
    case 'waiting-for-confirmation':
      return 'The new token is stored.';
    case 'waiting-for-secret':
      return `Waiting for the new secret from ${f.tokenPageUrl ?? 'the service'}.`;
    case 'revoke-scheduled':
      return `The old token will be revoked after ${f.revokeAt ? formatDateTime(f.revokeAt) : 'its grace period'}.`;
    case 'interrupted':
      return 'It was interrupted between two steps.';
    case 'unreadable':
      return 'This rotation step could not be read; the token records are unchanged.';
    default:
      return f satisfies never;
  }
}

/** What a resumed or pending rotation found, and what is left to do. Never a secret. */
export function reportMessage(r: RotationReport): string {
  const words = findingWords(r.finding);
  const saysNext = r.finding.what === 'orphans-found' || r.finding.what === 'successor-unknown';
  return r.next && !saysNext ? `${words} ${nextStepWords(r.next)}` : words;
}

/** Exactly what locks the vault on this computer: the presenter's words for main's LockTriggers. */
export function screenLockHelp(triggers: LockTriggers | undefined): string {
  const always = 'Sleep always locks the vault, and so does the idle time above.';
  if (!triggers) return always;
  switch (triggers.screenLock) {
    case 'system':
      return `Locks when ${triggers.platform === 'mac' ? 'macOS' : 'Windows'} shows its lock screen. ${always}`;
    case 'desktop-signals': {
      const how = [
        ...(triggers.sources.includes('screensaver') ? ["your desktop's screen locker starts (GNOME, KDE, Cinnamon, MATE, Xfce)"] : []),
        ...(triggers.sources.includes('logind') ? ['the login session is locked (loginctl lock-session)'] : []),
      ];
      return `Locks when ${how.join(' or when ')}. ${always}`;
    }
    case 'none':
      return `This desktop does not report its screen lock to apps, so this option has no effect here. ${always}`;
  }
}

/** The trash (issue 12): what an entry holds, as the Trash view and the delete dialogs say it. */
export function trashHoldsText(e: { kind: 'token' | 'workspace'; tokenCount: number; secretCount: number }): string {
  if (e.kind === 'token') return e.secretCount > 0 ? 'With its secret' : 'No secret stored';
  if (e.tokenCount === 0) return 'No tokens';
  return `${e.tokenCount} ${e.tokenCount === 1 ? 'token' : 'tokens'}, ${e.secretCount} with a secret`;
}

/** Why a delete is not final: said in every dialog that moves something to the trash. */
export const trashKeepsText = (days: number): string => `You can restore it from the Trash for ${days} days; then it is deleted for good.`;

/** `its 3 stored tokens (2 secrets Token Vault cannot get back from the service) and its admin credential`. */
export function removedWithWorkspace(tokens: number, secrets: number, credential: boolean): string {
  const parts = [
    tokens === 0 ? 'no stored tokens' : `its ${tokens} stored ${tokens === 1 ? 'token' : 'tokens'}${secrets > 0 ? ` (${secrets} with a secret Token Vault cannot get back from the service)` : ''}`,
    ...(credential ? ['its admin credential'] : []),
  ];
  return parts.join(' and ');
}

/** The import formats as the window names them. */
export function importFormatLabel(format: FileImportFormat): string {
  switch (format) {
    case 'kdbx':
      return 'KeePassXC / KeePass database (.kdbx)';
    case '1pux':
      return '1Password export (.1pux)';
    case '1password-csv':
      return '1Password CSV export';
    case 'bitwarden-json':
      return 'Bitwarden JSON export (unencrypted)';
    case 'dotenv':
      return '.env file (one token per variable)';
    case 'csv':
      return 'CSV with a header row';
    default:
      return format satisfies never;
  }
}

/** Why an import left an entry out, in the window's words. */
export function skipReasonWords(reason: SkipReason): string {
  switch (reason) {
    case 'no-secret':
      return 'no password or secret in it';
    case 'not-a-credential':
      return 'not a login or API credential';
    case 'deleted':
      return 'in the trash or recycle bin';
    case 'malformed':
      return 'could not be read';
    case 'already-imported':
      return 'imported before';
    case 'already-stored':
      return 'already in the vault (same name and secret)';
    case 'duplicate-in-file':
      return 'appears earlier in the file';
    default:
      return reason satisfies never;
  }
}

/** The daily backup's state in Settings: when the newest one was made, or why the last attempt failed. */
export function dailyBackupWords(status: DailyBackupStatus): string {
  if (status.keepDays === 0) return 'Daily backups are off.';
  const last = status.lastBackup ? `Last backup: ${formatDateTime(status.lastBackup.at)} (${status.lastBackup.fileName}).` : 'No backup yet: one is made the next time the vault unlocks.';
  return `${last} Kept for ${status.keepDays} ${status.keepDays === 1 ? 'day' : 'days'}.`;
}
