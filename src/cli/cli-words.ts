import { failedTargets, targetHoldsSecret } from '../shared/deployment-targets';
import type { ConfirmOutcome, RevokeState, RotationDeploy, RotationFinding, RotationOutcome, RotationReport, WaitReason } from '../shared/ipc/rotation-channels';
import type { AppError, ErrorCode, InputField, NextStep } from '../shared/result';
import { issuerWords, targetResultLine, type WorkspaceNames } from './target-words';
import type { SkipReason } from '../main/use-cases/transfer/transfer-types';

/**
 * The command line's words for what src/main returns as codes and structured outcomes: next steps name this
 * program's commands and flags (src/main never does), and the `--json` shapes keep the fields scripts already read.
 */

export function nextStepWords(next: NextStep): string {
  switch (next) {
    case 'resume':
      return 'Run `token-vault token resume` to finish it.';
    case 'confirm':
      return 'Deploy the new token, then confirm: `token-vault token rotate W/N --confirm` revokes the old one.';
    case 'paste':
      return 'Paste the new secret: `token-vault token rotate W/N --paste` (the secret on stdin or at the prompt).';
    case 'revoke-by-hand':
      return "Revoke it on the service's token page: Token Vault cannot do it there.";
    case 'sync':
      return 'Sync the workspace first: `token-vault workspace sync W`.';
    case 'rotate':
      return 'Start a rotation first: `token-vault token rotate W/N`.';
    case 'create-new':
      return 'Create a new token instead (`token-vault token create W --name N`), then revoke this one.';
    case 'create-vault':
      return 'Create one first: `token-vault init`.';
    case 'push':
      return 'Mend what failed, then write the secret to its targets again: `token-vault use push W/N`.';
    default:
      return next satisfies never;
  }
}

/** Where the command line takes each input an error can point at. */
export function fieldFlag(field: InputField): string {
  switch (field) {
    case 'baseUrl':
      return '--url';
    case 'username':
      return '--user';
    case 'adminSecret':
      return 'TOKEN_VAULT_ADMIN_SECRET';
    case 'tokenPageUrl':
      return '--token-page';
    case 'type':
      return '--type';
    case 'expiresAt':
      return '--expires';
    default:
      return field satisfies never;
  }
}

/** Where to look when a service gave no answer, by cause (main says what happened and whether anything was sent). */
const NO_ANSWER_HINTS: Partial<Record<ErrorCode, string>> = {
  'connection-refused': "Check the port in the workspace's URL (--url) and that the service is running.",
  'host-not-found': "Check the host name in the workspace's URL (--url), and your network or VPN.",
  timeout: 'The service may be busy or down; try again in a minute.',
  network: 'Check your connection, then try again.',
  // Not a missing answer, but the same kind of pointer: what to run once the user has looked at the new address.
  'credential-unconfirmed': 'To send it there: `token-vault workspace edit W --confirm-credential` (or give the new address its own credential).',
};

/** An error as the command line prints it: the flag it is about, main's message, and what to do next. */
export function errorLine(error: Pick<AppError, 'message' | 'next' | 'field'> & { code?: ErrorCode }): string {
  const message = error.field ? `${fieldFlag(error.field)}: ${error.message}` : error.message;
  const hint = error.next ? nextStepWords(error.next) : error.code ? NO_ANSWER_HINTS[error.code] : undefined;
  return hint ? `${message} ${hint}` : message;
}

/** One line per target, then the issuer's answer: what a rotation's deploy steps did. */
export function deployLines(deploy: RotationDeploy | null, names: WorkspaceNames = new Map()): string[] {
  if (!deploy) return [];
  return [...deploy.targets.map((t) => targetResultLine(t, names)), ...(deploy.issuer ? [issuerWords(deploy.issuer)] : [])];
}

const CONFIRM = '`token-vault token rotate W/N --confirm`';

/** Why the old token is kept, and what to do: `failed` counts the targets that did not take the secret, when known. */
function waitWords(because: WaitReason, failed: number | null): string {
  switch (because) {
    case 'no-targets':
      return `Deploy the new secret, then confirm with ${CONFIRM}: the old token is revoked then (it stays stored, marked "replaced", until you do). \`token-vault use add\` tells Token Vault where it goes, so the next rotation deploys it itself.`;
    case 'targets-failed': {
      const which = failed === null ? 'A target' : `${failed} target${failed === 1 ? '' : 's'}`;
      return `The old token is kept: ${which} did not take the new secret. Mend what failed and run \`token-vault use push W/N\`; then ${CONFIRM} revokes the old one.`;
    }
    case 'issuer-unknown':
      return `The old token is kept, because unknown is not valid. Check the new one works; then ${CONFIRM} revokes the old one.`;
    case 'issuer-refused':
      return 'The old token is kept and still works. Look at the new one on the service before you confirm.';
    case 'pasted':
      return "Confirm once it is deployed; then revoke the old one on the service's token page.";
    default:
      return because satisfies never;
  }
}

function revokeWords(revoke: RevokeState, service: string): string {
  switch (revoke.state) {
    case 'revoked':
      return `The old token is revoked at ${service}.`;
    case 'scheduled':
      return `The old token keeps working until ${revoke.revokeAt}; it is revoked at the first start or \`token-vault token resume\` after that.`;
    case 'failed':
      return `The old token could not be revoked yet: ${revoke.message} ${nextStepWords(revoke.next)}`;
    default:
      return revoke satisfies never;
  }
}

/** What the user should know after a rotation, one line each (stderr; `notes` with --json). */
export function outcomeNotes(out: RotationOutcome, names: WorkspaceNames = new Map()): string[] {
  switch (out.kind) {
    case 'renewed': {
      const notes = ['The old secret stopped working at once.'];
      if (out.renewKeepsExpiry)
        notes.push(`${out.service} keeps the old expiry when it regenerates${out.expiresAt ? ` (${out.expiresAt.slice(0, 10)})` : ''}; for a new lifetime, create a new token instead.`);
      notes.push(...deployLines(out.deploy, names));
      if (out.deploy && failedTargets(out.deploy).length > 0) notes.push(nextStepWords('push'));
      return notes;
    }
    case 'awaiting-confirmation':
      if (out.pasted)
        return [
          'The pasted token is stored.',
          ...deployLines(out.deploy, names),
          out.waitingBecause === 'targets-failed' ? waitWords('targets-failed', out.deploy ? failedTargets(out.deploy).length : null) : "Deploy it, then confirm; then revoke the old one on the service's token page.",
        ];
      return ['A new token was created beside the old one; both work now.', ...deployLines(out.deploy, names), waitWords(out.waitingBecause, out.deploy ? failedTargets(out.deploy).length : null)];
    case 'replaced':
      return ['A new token was created and written to every target; each read it back.', ...deployLines(out.deploy, names), revokeWords(out.revoke, out.service)];
    case 'manual':
      return [
        `Create a new token on ${out.tokenPageUrl ?? 'the service'}, then paste it here. The old one stays stored until you confirm the new one is deployed.`,
      ];
    default:
      return out satisfies never;
  }
}

/** Deploy results for `--json`: each target's spec, push and read-back as main reports them, and whether it holds the secret. */
export function deployJson(deploy: RotationDeploy | null) {
  if (!deploy) return null;
  return {
    tokenId: deploy.tokenId,
    targets: deploy.targets.map((t) => ({ id: t.targetId, ok: targetHoldsSecret(t), spec: t.spec, push: t.push, verify: t.verify })),
    issuer: deploy.issuer,
  };
}

/** The `--json` shape of a rotation outcome, as scripts know it (`deploy` and the fields after it are new in issue 13). */
export function outcomeJson(out: RotationOutcome, names: WorkspaceNames = new Map()) {
  const notes = outcomeNotes(out, names);
  switch (out.kind) {
    case 'renewed':
      return { kind: out.kind, method: out.method, tokenId: out.tokenId, secret: out.secret, expiresAt: out.expiresAt, keptExpiry: out.keptExpiry, notes, deploy: deployJson(out.deploy) };
    case 'awaiting-confirmation':
      return { kind: out.kind, oldTokenId: out.oldTokenId, newTokenId: out.newTokenId, secret: out.secret, expiresAt: out.expiresAt, notes, deploy: deployJson(out.deploy), waitingBecause: out.waitingBecause };
    case 'replaced':
      return { kind: out.kind, oldTokenId: out.oldTokenId, newTokenId: out.newTokenId, secret: out.secret, expiresAt: out.expiresAt, notes, deploy: deployJson(out.deploy), revoke: out.revoke };
    case 'manual':
      return { kind: out.kind, tokenId: out.tokenId, tokenPageUrl: out.tokenPageUrl, notes };
    default:
      return out satisfies never;
  }
}

export function confirmMessage(out: ConfirmOutcome): string {
  switch (out.state) {
    case 'revoked':
      return `The old token is revoked at ${out.service}; the new one is in use.`;
    case 'scheduled':
      return `The old token keeps working until ${out.revokeAt}; it is revoked at the first start or \`token-vault token resume\` after that.`;
    case 'revoke-by-hand':
      return `Marked the old token revoked in the vault. Revoke it on ${out.tokenPageUrl ?? 'the service'} too: Token Vault cannot do it for a manual workspace.`;
    default:
      return out.state satisfies never;
  }
}

/** The `--json` shape of a confirmation, as scripts know it. */
export const confirmJson = (out: ConfirmOutcome) => ({ oldTokenId: out.oldTokenId, newTokenId: out.newTokenId, state: out.state, revokeAt: out.revokeAt, message: confirmMessage(out) });

function findingWords(f: RotationFinding): string {
  switch (f.what) {
    case 'stored-issued-secret':
      return 'The service had issued the new secret before the interruption; it is now stored in the vault and in use.';
    case 'renewed-again':
      return `The interrupted ${f.method} may have reached the service without its answer being saved, so the secret was renewed again: the new one is stored and shown now once.${f.successorRemoteId ? ` The service had already rotated it to id ${f.successorRemoteId}; that one was rotated once more to get a secret the vault holds.` : ''}`;
    case 'created-again':
      return `The create was interrupted before its answer was saved, so a new token was created now and stored.${f.revokedRemoteId ? ` The token created before the interruption (id ${f.revokedRemoteId}) had no saved secret and was revoked.` : ''}`;
    case 'stored-created-token':
      return 'The new token had been created and its secret saved in the journal; it is now stored in the vault.';
    case 'stored-pasted-secret':
      return 'The pasted secret is now stored in the vault.';
    case 'revoked-old':
      return `${f.afterGrace ? 'The grace period ended.' : 'The interrupted revoke of the old token was finished.'} The old token is revoked at ${f.service}; the new one is in use.`;
    case 'orphans-found':
      return `The rotation was interrupted while creating the new token, and ${f.remoteIds.length} new tokens appeared at ${f.service} since (ids ${f.remoteIds.join(', ')}). Nobody holds their secrets: revoke them on the service, then rotate again. The old token is unchanged.`;
    case 'successor-unknown':
      return `The rotate was interrupted; the service no longer lists the old token as active and no single successor could be found. Its secret is unknown: create a new token for "${f.tokenName}" on the service and revoke any unknown ones.`;
    case 'failed':
      return f.message;
    case 'deployed':
      switch (f.then) {
        case 'renewed':
          return 'The interrupted deploy steps were finished: the renewed secret was written to its targets and checked.';
        case 'revoked':
          return 'The interrupted deploy steps were finished: every target holds the new secret, the service accepts it, and the old token is revoked.';
        case 'scheduled':
          return `The interrupted deploy steps were finished: every target holds the new secret, and the old token is revoked after ${f.revokeAt ?? 'its grace period'}.`;
        case 'waiting':
          return `The interrupted deploy steps were finished. ${waitWords(f.waitingBecause ?? 'no-targets', null)}`;
        case 'revoke-failed':
          return 'The interrupted deploy steps were finished, but the old token could not be revoked yet.';
        default:
          return f.then satisfies never;
      }
    case 'waiting-for-confirmation':
      return f.because && f.because !== 'no-targets' ? `The new token is stored. ${waitWords(f.because, null)}` : 'The new token is stored.';
    case 'waiting-for-secret':
      return `Waiting for the new secret: create it on ${f.tokenPageUrl ?? 'the service'} and paste it.`;
    case 'revoke-scheduled':
      return `The old token will be revoked after ${f.revokeAt ?? 'its grace period'}.`;
    case 'interrupted':
      switch (f.at) {
        case 'renew':
          return 'A renew was sent but its answer was not saved; resuming renews it again so the vault holds the current secret.';
        case 'store':
          return 'The new secret is saved in the rotation journal but not yet in the token; resuming finishes it.';
        case 'create':
          return 'A create was sent but its answer was not saved; resuming checks the service, revokes a token nobody holds, and creates the replacement again.';
        case 'revoke':
          return "The old token's revoke was interrupted; resuming revokes it.";
        case 'deploy':
          return 'The new secret is stored, and writing it to its deployment targets was interrupted; resuming writes them (again) and reads each back.';
        case 'issuer-check':
          return 'The new secret is stored and written to its targets; resuming checks it at the service and then decides about the old token.';
        default:
          return f.at satisfies never;
      }
    case 'unreadable':
      return 'This rotation step could not be read; the token records are unchanged.';
    default:
      return f satisfies never;
  }
}

/** What a resumed or pending rotation found, and what is left to do, in one paragraph. Never a secret. */
export function reportMessage(r: RotationReport): string {
  const words = findingWords(r.finding);
  // Orphans and an unknown successor already say what to do on the service; a wait with a reason says it too.
  const saysNext =
    r.finding.what === 'orphans-found' ||
    r.finding.what === 'successor-unknown' ||
    (r.finding.what === 'waiting-for-confirmation' && r.finding.because !== null && r.finding.because !== 'no-targets') ||
    (r.finding.what === 'deployed' && r.finding.then === 'waiting');
  return r.next && !saysNext ? `${words} ${nextStepWords(r.next)}` : words;
}

/** The `--json` shape of a rotation report, as scripts know it (plus `token`: WORKSPACE/NAME, when known). */
export function reportJson(r: RotationReport, token: string | null = null) {
  return {
    rotationId: r.rotationId,
    tokenId: r.tokenId,
    token,
    step: r.step,
    state: r.state,
    message: reportMessage(r),
    ...(r.secret !== undefined ? { secret: r.secret } : {}),
    ...(r.newTokenId !== undefined ? { newTokenId: r.newTokenId } : {}),
    ...(r.deploy !== undefined ? { deploy: deployJson(r.deploy) } : {}),
  };
}

/** How the command line says why an entry was left out. */
export const SKIP_WORDS: Record<SkipReason, string> = {
  'no-secret': 'no password or secret in it',
  'not-a-credential': 'not a credential (card, identity, note, template...)',
  deleted: 'in the trash / recycle bin',
  malformed: 'unreadable (a field or date the format does not allow)',
  'already-imported': 'already imported before',
  'already-stored': 'already in the vault (same name and secret)',
  'duplicate-in-file': 'appears twice in the file',
};
