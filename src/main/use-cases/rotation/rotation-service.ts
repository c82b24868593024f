import { randomUUID } from 'node:crypto';
import type { ConfirmOutcome, RotationOutcome, RotationProgress, RotationReport } from '../../../shared/ipc/rotation-channels';
import { isRevokedStatus } from '../../../shared/token-status';
import { AppFailure } from '../../errors';
import { getProvider } from '../../providers/provider-registry';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { Vault, Workspace } from '../../vault';
import { systemClock, type Clock } from '../ports';
import { connectWorkspace } from '../workspace-connection';
import { confirm } from './rotation-confirm';
import { daysFromNow, inProgress, nowIso, writeStep, type RotationContext } from './rotation-context';
import { readEntry, type Checkpoint, type ManualPayload, type NativePayload } from './rotation-journal';
import { pasteSecret } from './rotation-manual';
import { runNative } from './rotation-native';
import { startReplace } from './rotation-replace';
import { listPending, resumeAll } from './rotation-resume';

export interface RotationServiceOptions {
  vault: Vault;
  clock?: Clock;
  /** Who appears in the audit log: `app`, `cli`. */
  actor?: string;
  /** Builds the provider and its context for a workspace (tests may point it elsewhere; default: from the vault). */
  connect?: (vault: Vault, workspace: Workspace) => { provider: Provider; ctx: ProviderContext };
  /** Test-only crash points; see rotation-journal.ts. */
  checkpoint?: Checkpoint;
  /** Hears the deploy steps while they run; never a secret. */
  onProgress?: (p: RotationProgress) => void;
}

/**
 * Rotation that never loses a secret.
 *
 * Every step is written to the vault's rotation journal (FULL sync) before the remote call it announces; a secret the
 * service returns is written to the journal before anything else, then moved into the token record. If a write
 * fails the vault hands the secret back in the error (AppFailure.unsavedSecret). After a crash at any point, `resumeAll`
 * finishes what can be finished and explains the rest. Once stored, the new secret is written to each deployment
 * target (a journal step each) and checked at the service. The old token is revoked only when every target holds the
 * new secret and the service accepts it, or after the user confirms the new one is deployed (where the service renews
 * in place, it revokes the old secret itself, and the new one is already stored when the call returns... or
 * re-issued by resume when the answer was lost with the process).
 */
export class RotationService {
  private readonly rc: RotationContext;

  constructor(options: RotationServiceOptions) {
    this.rc = {
      vault: options.vault,
      clock: options.clock ?? systemClock,
      actor: options.actor ?? 'app',
      connect: options.connect ?? connectWorkspace,
      checkpoint: options.checkpoint ?? (() => {}),
      progress: options.onProgress ?? (() => {}),
    };
  }

  /**
   * Starts a rotation: native renew where the service has one, else create-new-then-revoke, else manual paste. After
   * the new secret is stored it is written to each deployment target and checked at the service; a create-new
   * rotation then revokes the old token on its own (not before `graceDays` after now, when given).
   */
  async rotate(tokenId: string, options: { expiresAt?: string | null; graceDays?: number } = {}): Promise<RotationOutcome> {
    const token = this.rc.vault.tokens.get(tokenId);
    if (isRevokedStatus(token.status))
      throw new AppFailure('invalid-argument', 'This token is revoked; create a new one instead of rotating it.', { next: 'create-new' });
    const pending = this.rc.vault.journal.list(token.id)[0];
    if (token.replacedById || pending) throw inProgress(token, pending && readEntry(pending));
    const workspace = this.rc.vault.workspaces.get(token.workspaceId);

    // No create API (manual, GitHub): the new token is made on the service and pasted.
    if (workspace.kind === 'manual' || !getProvider(workspace.kind).capabilities.create) {
      const payload: ManualPayload = {
        v: 1,
        mode: 'manual',
        workspaceId: workspace.id,
        startedAt: nowIso(this.rc),
        tokenPageUrl: workspace.tokenPageUrl,
        newTokenId: randomUUID(),
      };
      writeStep<'manual'>(this.rc, undefined, token.id, 'awaiting-secret', payload);
      return { kind: 'manual', tokenId: token.id, tokenPageUrl: workspace.tokenPageUrl, next: 'paste' };
    }

    const { provider, ctx } = this.rc.connect(this.rc.vault, workspace);
    if (!token.remoteId)
      throw new AppFailure('unsupported', `This token has no id at ${provider.label}, so Token Vault does not know which token it is.`, { next: 'sync' });
    const method = provider.capabilities.renew;
    if (method !== 'none' && provider.renew) {
      const payload: NativePayload = {
        v: 1,
        mode: 'native',
        workspaceId: workspace.id,
        startedAt: nowIso(this.rc),
        method,
        targetRemoteId: token.remoteId,
        requestedExpiresAt: options.expiresAt ?? null,
      };
      const entry = writeStep<'native'>(this.rc, undefined, token.id, 'renew-requested', payload);
      return runNative(this.rc, entry.id, token, payload, provider, ctx);
    }
    if (provider.capabilities.create && provider.capabilities.revoke && provider.revoke) {
      const revokeAt = options.graceDays ? daysFromNow(this.rc, options.graceDays) : null;
      return startReplace(this.rc, token, workspace, provider, ctx, options.expiresAt, revokeAt);
    }
    throw new AppFailure('unsupported', `${provider.label} can neither renew nor create and revoke tokens through its API.`);
  }

  /** Manual workspaces: the secret the user created on the service's token page. */
  pasteSecret(tokenId: string, secret: string, options: { expiresAt?: string | null } = {}): Promise<RotationOutcome> {
    return pasteSecret(this.rc, tokenId, secret, options);
  }

  /** The new token is deployed: revoke the old one now, or after `graceDays`. */
  confirm(tokenId: string, options: { graceDays?: number } = {}): Promise<ConfirmOutcome> {
    return confirm(this.rc, tokenId, options);
  }

  /** What is unfinished, explained; changes nothing. */
  listPending(): RotationReport[] {
    return listPending(this.rc);
  }

  /** Finishes every interrupted rotation that can be finished, and explains the rest. */
  resumeAll(): Promise<RotationReport[]> {
    return resumeAll(this.rc);
  }
}
