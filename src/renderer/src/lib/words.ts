import { failedTargets, targetHoldsSecret, type DeployProgress, type DeployReport, type DeploymentTargetRecord, type DeploymentTargetSpec } from '../../../shared/deployment-targets';
import type { LockTriggers } from '../../../shared/ipc/desktop-channels';
import type { ConfirmOutcome, RevokeState, RotationDeploy, RotationFinding, RotationOutcome, RotationReport, WaitReason } from '../../../shared/ipc/rotation-channels';
import type { AppError, ErrorCode, NextStep } from '../../../shared/result';
import type { DailyBackupStatus } from '../../../shared/ipc/backup-channels';
import type { FileImportFormat, SkipReason } from '../../../shared/transfer';
import type { ScanProgress, ScanResult, ScanTargetSuggestion } from '../../../shared/ipc/scan-channels';
import type { SecretEncoding, SkipReason as ScanSkipReason } from '../../../shared/scan';
import { formatDateTime, formatExpiry } from './format';
import { count } from './plural';

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
    case 'push':
      return 'Mend what failed, then choose "Push now" under "Used in".';
    default:
      return next satisfies never;
  }
}

/**
 * What to try when a service gave no answer, by cause: main says what happened (and whether anything was sent),
 * the window says where to look. Codes not listed need no hint beyond main's message.
 */
const NO_ANSWER_HINTS: Partial<Record<ErrorCode, string>> = {
  'connection-refused': 'Check the port in the workspace URL and that the service is running.',
  'host-not-found': 'Check the host name in the workspace URL, and your network or VPN.',
  timeout: 'The service may be busy or down; try again in a minute.',
  tls: '',
  network: 'Check your connection, then try again.',
  cancelled: '',
};

/** An error as the window shows it: main's message, then what to do next in the window's terms. */
export const errorText = (error: Pick<AppError, 'message' | 'next'> & { code?: ErrorCode }): string => {
  const hint = error.next ? nextStepWords(error.next) : error.code ? NO_ANSWER_HINTS[error.code] : undefined;
  return hint ? `${error.message} ${hint}` : error.message;
};

/** The Strapi case: the service renewed the token but kept its old expiry. */
export const keptExpiryNote = (service: string, expiresAt: string | null): string =>
  `${service} kept the old expiry (${formatExpiry(expiresAt)}). For a new lifetime, create a new token and revoke this one.`;

/** Why the old token was kept, in the window's terms. */
export function waitWords(because: WaitReason, failed: number | null): string {
  switch (because) {
    case 'no-targets':
      return nextStepWords('confirm');
    case 'targets-failed':
      return `The old token is kept: ${failed === null ? 'a place' : failed === 1 ? '1 place' : `${failed} places`} in "Used in" did not take the new secret. Mend ${failed === 1 ? 'it' : 'them'} and choose "Push now"; then confirm, and Token Vault revokes the old one.`;
    case 'issuer-unknown':
      return 'The old token is kept: the service could not say whether the new secret works, and unknown is not valid. Check it, then confirm.';
    case 'issuer-refused':
      return 'The old token is kept and still works: the service refuses the new secret. Look at it on the service before you confirm.';
    case 'pasted':
      return `${nextStepWords('confirm')} ${nextStepWords('revoke-by-hand')}`;
    default:
      return because satisfies never;
  }
}

export function revokeWords(revoke: RevokeState, service: string): string {
  switch (revoke.state) {
    case 'revoked':
      return `The old token is revoked at ${service}.`;
    case 'scheduled':
      return `The old token keeps working until ${formatDateTime(revoke.revokeAt)}; Token Vault revokes it after that.`;
    case 'failed':
      return `The old token could not be revoked yet: ${revoke.message} ${nextStepWords(revoke.next)}`;
    default:
      return revoke satisfies never;
  }
}

const failedCount = (deploy: RotationDeploy | null) => (deploy ? failedTargets(deploy).length : null);

/**
 * What the one-time reveal after a rotation says beside the secret: one note, what happened and what is next (the
 * places it went are listed apart).
 */
export function outcomeNotes(out: RotationOutcome): string[] {
  switch (out.kind) {
    case 'renewed': {
      const failed = failedCount(out.deploy) ?? 0;
      return [
        [
          'The old secret stopped working at once.',
          ...(out.keptExpiry ? [`The expiry did not change: ${formatExpiry(out.expiresAt)}.`] : []),
          ...(failed > 0 ? [`${failed === 1 ? 'One place' : `${failed} places`} did not take the new secret. ${nextStepWords('push')}`] : []),
        ].join(' '),
      ];
    }
    case 'awaiting-confirmation':
      return out.pasted
        ? [['The pasted token is stored.', waitWords(out.waitingBecause, failedCount(out.deploy))].join(' ')]
        : [['A new token was created beside the old one; both work now.', waitWords(out.waitingBecause, failedCount(out.deploy))].join(' ')];
    case 'replaced':
      return [['A new token was created and written to every place it is used; each read it back, and the service accepts it.', revokeWords(out.revoke, out.service)].join(' ')];
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
    case 'deployed':
      switch (f.then) {
        case 'renewed':
          return 'The interrupted rotation was finished: the new secret was written to the places it is used and checked.';
        case 'revoked':
          return 'The interrupted rotation was finished: every place holds the new secret, the service accepts it, and the old token is revoked.';
        case 'scheduled':
          return `The interrupted rotation was finished: every place holds the new secret; the old token is revoked after ${f.revokeAt ? formatDateTime(f.revokeAt) : 'its grace period'}.`;
        case 'waiting':
          return `The interrupted rotation was finished. ${waitWords(f.waitingBecause ?? 'no-targets', null)}`;
        case 'revoke-failed':
          return 'The interrupted rotation was finished, but the old token could not be revoked yet.';
        default:
          return f.then satisfies never;
      }
    case 'waiting-for-confirmation':
      return f.because && f.because !== 'no-targets' ? `The new token is stored. ${waitWords(f.because, null)}` : 'The new token is stored.';
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
  const saysNext =
    r.finding.what === 'orphans-found' ||
    r.finding.what === 'successor-unknown' ||
    (r.finding.what === 'waiting-for-confirmation' && r.finding.because !== null && r.finding.because !== 'no-targets') ||
    (r.finding.what === 'deployed' && r.finding.then === 'waiting');
  return r.next && !saysNext ? `${words} ${nextStepWords(r.next)}` : words;
}

/** Why the window asks again before a secret leaves the vault, from the re-auth setting (0 = every time). */
export function reauthWindowWords(minutes: number, password: boolean): string {
  const proof = password ? 'Enter the master password' : 'Confirm';
  if (minutes === 0) return `${proof} each time a secret is copied or shown (Settings, "Ask again after").`;
  return `${proof} to copy or show secrets for the next ${minutes === 1 ? 'minute' : `${minutes} minutes`} (Settings, "Ask again after").`;
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

/** Where a deployment target is, in the window's words ("Used in"). Remote ones name their workspace. */
export function targetWhere(spec: DeploymentTargetSpec, workspaceName: (id: string) => string): string {
  switch (spec.kind) {
    case 'dotenv':
      return `${spec.path}: variable ${spec.key}`;
    case 'npmrc':
      return `${spec.path}: registry ${spec.key}`;
    case 'json':
    case 'yaml':
      return `${spec.path}: ${spec.key}`;
    case 'docker':
      return `${spec.path}: ${spec.key} as ${spec.user}`;
    case 'gitlab-variable':
      return `GitLab CI variable ${spec.key} in ${spec.level} ${spec.owner} (${workspaceName(spec.workspaceId)})`;
    case 'gitea-secret':
      return `Actions secret ${spec.name} in ${spec.level === 'user' ? 'the user' : `${spec.level} ${spec.owner}`} (${workspaceName(spec.workspaceId)})`;
    case 'github-secret':
      return `GitHub Actions secret ${spec.name} in ${spec.level} ${spec.owner} (${workspaceName(spec.workspaceId)})`;
    case 'vault-kv':
      return `Vault KV ${spec.mount}/${spec.path}, key ${spec.key} (${workspaceName(spec.workspaceId)})`;
    default:
      return spec satisfies never;
  }
}

/** A target's last push and read-back, as one line under it. */
export function targetStateWords(t: Pick<DeploymentTargetRecord, 'lastPush' | 'lastVerify'>): { text: string; ok: boolean | null } {
  if (!t.lastPush) return { text: 'Not written yet: choose "Push now".', ok: null };
  const at = formatDateTime(t.lastPush.at);
  if (t.lastPush.status === 'failed') return { text: `Not written (${at}): ${t.lastPush.failure.message}`, ok: false };
  const v = t.lastVerify;
  const read =
    !v ? 'not read back'
    : v.status === 'verified' ? (v.evidence === 'value-read-back' ? 'read back' : 'present at the service')
    : v.status === 'unverifiable' ? 'the service hides the value'
    : v.status === 'mismatch' ? (v.problem === 'value-differs' ? 'it now holds another value' : v.problem === 'missing' ? 'it is missing now' : 'written by someone else since')
    : `not read back: ${v.failure.message}`;
  return { text: `Written ${at}, ${read}.`, ok: targetHoldsSecret({ push: t.lastPush, verify: v }) };
}

/** What "Push now" did, in one sentence. */
export function pushReportWords(report: DeployReport): string {
  const done = report.targets.filter((t) => t.push !== null);
  const failed = failedTargets(report).length;
  if (done.length === 0) return 'This token is not used anywhere yet.';
  if (failed === 0) return done.length === 1 ? 'The place holds the secret and read it back.' : `All ${done.length} places hold the secret and read it back.`;
  return `${failed} of ${done.length} ${done.length === 1 ? 'place' : 'places'} did not take the secret; see "Used in".`;
}

/** A step of a rotation or push while it runs (never a secret). */
export function progressWords(p: DeployProgress | 'checking-issuer' | 'revoking'): string {
  if (p === 'checking-issuer') return 'Checking the new secret at the service…';
  if (p === 'revoking') return 'Revoking the old token…';
  const n = `${p.index + 1} of ${p.total}`;
  switch (p.phase) {
    case 'pushing':
      return `Writing place ${n}…`;
    case 'verifying':
      return `Reading back place ${n}…`;
    case 'done':
      return p.ok ? `Place ${n} holds the new secret.` : `Place ${n} did not take the new secret.`;
    default:
      return p.phase satisfies never;
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

/** Where in a found file a token would be linked ("variable NPM_TOKEN"), as "Used in" words a file place. */
export function scanTargetWords(t: ScanTargetSuggestion): string {
  switch (t.format) {
    case 'dotenv':
      return `variable ${t.key}`;
    case 'npmrc':
      return `registry ${t.key}`;
    case 'json':
    case 'yaml':
      return `${t.format.toUpperCase()} key ${t.key}`;
    case 'docker':
      return `registry ${t.key} as ${t.user ?? ''}`;
    default:
      return t.format satisfies never;
  }
}

/** How a stored secret was written where it was found, when not as itself. */
export function encodingWords(encoding: SecretEncoding): string {
  switch (encoding) {
    case 'exact':
      return '';
    case 'base64':
    case 'base64url':
      return 'base64-encoded';
    case 'url':
      return 'URL-encoded';
    case 'json':
      return 'JSON-escaped';
    default:
      return encoding satisfies never;
  }
}

export function scanSkipWords(reason: ScanSkipReason): string {
  switch (reason) {
    case 'symlink-outside':
      return 'a link out of the folder: not followed';
    case 'too-large':
      return 'over 5 MB: not read';
    case 'unreadable':
      return 'cannot be read';
    default:
      return reason satisfies never;
  }
}

const FILES = { one: 'file', other: 'files' } as const;
const PLACES = { one: 'place', other: 'places' } as const;
const LIKELY = { one: 'likely token', other: 'likely tokens' } as const;

export const scanProgressWords = (p: ScanProgress): string =>
  `Scanning… ${count(p.filesScanned, FILES)} read, ${count(p.found, PLACES)} holding a stored secret, ${count(p.unknown, LIKELY)} not in the vault.`;

export function scanSummaryWords(r: ScanResult): string {
  const stored = r.findings.filter((f) => f.kind === 'stored').length;
  const unknown = r.findings.length - stored;
  const what = `${count(r.filesScanned, FILES)} scanned: ${count(stored, PLACES)} holding a stored secret, ${count(unknown, LIKELY)} not in the vault`;
  const binary = r.binaryFiles > 0 ? `; ${count(r.binaryFiles, { one: 'binary file', other: 'binary files' })} skipped` : '';
  return r.cancelled ? `Scan stopped. Until then, ${what}${binary}.` : `${what.charAt(0).toUpperCase()}${what.slice(1)}${binary}.`;
}