import type { RotationReport } from '../../../shared/ipc/rotation-channels';
import { isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { JournalEntry, TokenSummary } from '../../vault/db/vault-types';
import { nowIso, writeStep, type RotationContext } from './rotation-context';
import { revokeOld } from './rotation-confirm';
import { JournalPayload, type NativePayload } from './rotation-journal';
import { applyManual } from './rotation-manual';
import { applyNative, runNative } from './rotation-native';
import { applyCreated, startReplace } from './rotation-replace';

const log = createLogger('rotation');

// After a crash: finish each journaled rotation from the step it last recorded, or explain what the user must do.

/** What is unfinished, explained; changes nothing. */
export function listPending(rc: RotationContext): RotationReport[] {
  return rc.vault.listJournal().map((e) => explain(rc, e));
}

/** Finishes every interrupted rotation that can be finished, and explains the rest. */
export async function resumeAll(rc: RotationContext): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  for (const entry of rc.vault.listJournal()) {
    try {
      reports.push(await resumeOne(rc, entry));
    } catch (error) {
      const message = isAppFailure(error) ? error.message : 'An unexpected error stopped it.';
      if (!isAppFailure(error)) log.error('resume failed', { rotationId: entry.id, error: String(error) });
      const report: RotationReport = { rotationId: entry.id, tokenId: entry.tokenId, step: rc.vault.getJournal(entry.id)?.step ?? entry.step, state: 'needs-attention', message };
      if (isAppFailure(error) && error.unsavedSecret) report.secret = error.unsavedSecret;
      reports.push(report);
    }
  }
  return reports;
}

async function resumeOne(rc: RotationContext, entry: JournalEntry): Promise<RotationReport> {
  const payload = JournalPayload.parse(entry.payload);
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  if (payload.mode === 'native') {
    const token = rc.vault.getToken(entry.tokenId);
    const workspace = rc.vault.getWorkspace(payload.workspaceId);
    const { provider, ctx } = rc.connect(rc.vault, workspace);
    if (entry.step === 'renew-issued') {
      const out = applyNative(rc, entry.id, token.id, payload, provider);
      return { ...base, state: 'completed', secret: out.secret, message: 'The service had issued the new secret before the interruption; it is now stored in the vault and in use.' };
    }
    // renew-requested: the call may or may not have reached the service, and its answer is gone.
    const target = await nativeTarget(rc, token, payload, provider, ctx);
    if (target.kind === 'explain') {
      rc.vault.removeJournal(entry.id);
      return { ...base, state: 'needs-attention', message: target.message };
    }
    const next: NativePayload = { ...payload, targetRemoteId: target.remoteId, startedAt: nowIso(rc) };
    writeStep(rc, entry.id, token.id, 'renew-requested', next);
    const out = await runNative(rc, entry.id, token, next, provider, ctx, true);
    return {
      ...base,
      state: 'completed',
      secret: out.kind === 'renewed' ? out.secret : undefined,
      message: `The interrupted ${payload.method} may have reached the service without its answer being saved, so the secret was renewed again: the new one is stored and shown now once. ${target.note}`.trim(),
    };
  }
  if (payload.mode === 'replace') {
    const old = rc.vault.getToken(entry.tokenId);
    switch (entry.step) {
      case 'create-requested': {
        const workspace = rc.vault.getWorkspace(payload.workspaceId);
        const { provider, ctx } = rc.connect(rc.vault, workspace);
        const listed = await provider.list(ctx);
        const known = new Set([...payload.knownRemoteIds, ...rc.vault.listTokens({ workspaceId: workspace.id }).map((t) => t.remoteId)]);
        const orphans = listed.filter((t) => !known.has(t.remoteId) && (!provider.capabilities.remoteNames || t.name === payload.remoteName));
        if (orphans.length > 1) {
          rc.vault.removeJournal(entry.id);
          return { ...base, state: 'needs-attention', message: `The rotation was interrupted while creating the new token, and ${orphans.length} new tokens appeared at ${provider.label} since (ids ${orphans.map((o) => o.remoteId).join(', ')}). Nobody holds their secrets: revoke them on the service, then rotate again. The old token is unchanged.` };
        }
        let note = '';
        if (orphans[0]) {
          await provider.revoke!(ctx, orphans[0].remoteId);
          note = ` The token created before the interruption (id ${orphans[0].remoteId}) had no saved secret and was revoked.`;
        }
        rc.vault.removeJournal(entry.id);
        const out = await startReplace(rc, old, workspace, provider, ctx, payload.input.expiresAt);
        return {
          ...base,
          state: 'awaiting-confirmation',
          secret: out.kind === 'awaiting-confirmation' ? out.secret : undefined,
          newTokenId: out.kind === 'awaiting-confirmation' ? out.newTokenId : undefined,
          message: `The create was interrupted before its answer was saved, so a new token was created now and stored.${note} Deploy it, then confirm with --confirm to revoke the old one.`,
        };
      }
      case 'created': {
        const out = applyCreated(rc, entry.id, old.id, payload);
        return { ...base, state: 'awaiting-confirmation', secret: out.secret, newTokenId: out.newTokenId, message: 'The new token had been created and its secret saved in the journal; it is now stored in the vault. Deploy it, then confirm with --confirm to revoke the old one.' };
      }
      case 'revoke-requested': {
        const out = await revokeOld(rc, entry.id, old, payload);
        return { ...base, state: 'completed', newTokenId: out.newTokenId, message: `The interrupted revoke of the old token was finished. ${out.message}` };
      }
      case 'revoke-scheduled': {
        if (payload.revokeAt && Date.parse(payload.revokeAt) <= rc.clock.now().getTime()) {
          const out = await revokeOld(rc, entry.id, old, payload);
          return { ...base, state: 'completed', newTokenId: out.newTokenId, message: `The grace period ended. ${out.message}` };
        }
        return explain(rc, entry);
      }
      default:
        return explain(rc, entry);
    }
  }
  // manual
  if (entry.step === 'secret-received') {
    const out = applyManual(rc, entry.id, entry.tokenId, payload);
    return { ...base, state: 'awaiting-confirmation', newTokenId: out.newTokenId, message: 'The pasted secret is now stored in the vault. Deploy it, then confirm.' };
  }
  return explain(rc, entry);
}

/** After a lost native renew: which remote token to renew now, or what to tell the user. */
async function nativeTarget(
  rc: RotationContext,
  token: TokenSummary,
  payload: NativePayload,
  provider: Provider,
  ctx: ProviderContext,
): Promise<{ kind: 'renew'; remoteId: string; note: string } | { kind: 'explain'; message: string }> {
  // Regenerate and roll keep the remote id: renewing it again simply makes the stored secret the current one.
  if (payload.method !== 'rotate') return { kind: 'renew', remoteId: payload.targetRemoteId, note: '' };
  // GitLab rotate revokes the old id and issues a new one; rotating a revoked token revokes the whole family.
  // So look before rotating again.
  const listed = await provider.list(ctx);
  const target = listed.find((t) => t.remoteId === payload.targetRemoteId);
  if (target && target.status === 'active') return { kind: 'renew', remoteId: target.remoteId, note: '' };
  const skew = 5 * 60_000;
  const known = new Set(rc.vault.listTokens({ workspaceId: token.workspaceId }).map((t) => t.remoteId));
  const successors = listed.filter(
    (t) => t.status === 'active' && !known.has(t.remoteId) && t.name === (target?.name ?? token.name) && (t.createdAt === null || Date.parse(t.createdAt) >= Date.parse(payload.startedAt) - skew),
  );
  if (successors.length === 1 && successors[0]) {
    return { kind: 'renew', remoteId: successors[0].remoteId, note: `The service had already rotated it to id ${successors[0].remoteId}; that one was rotated once more to get a secret the vault holds.` };
  }
  return {
    kind: 'explain',
    message: `The rotate was interrupted; the service no longer lists the old token as active and no single successor could be found. Its secret is unknown: create a new token for "${token.name}" on the service and revoke any unknown ones.`,
  };
}

function explain(rc: RotationContext, entry: JournalEntry): RotationReport {
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  const parsed = JournalPayload.safeParse(entry.payload);
  if (!parsed.success) return { ...base, state: 'needs-attention', message: 'This rotation step could not be read; the token records are unchanged.' };
  const p = parsed.data;
  switch (entry.step) {
    case 'awaiting-confirmation':
      return { ...base, state: 'awaiting-confirmation', newTokenId: 'newTokenId' in p ? p.newTokenId : undefined, message: 'The new token is stored. Deploy it, then confirm ("token rotate W/N --confirm") to revoke the old one.' };
    case 'awaiting-secret':
      return { ...base, state: 'awaiting-secret', message: `Waiting for the new secret: create it${p.mode === 'manual' && p.tokenPageUrl ? ` on ${p.tokenPageUrl}` : ' on the service'} and paste it.` };
    case 'revoke-scheduled':
      return { ...base, state: 'scheduled', newTokenId: 'newTokenId' in p ? p.newTokenId : undefined, message: `The old token will be revoked after ${p.mode === 'replace' ? p.revokeAt ?? 'its grace period' : 'its grace period'}.` };
    case 'renew-requested':
      return { ...base, state: 'needs-attention', message: 'A renew was sent but its answer was not saved; "token resume" renews it again so the vault holds the current secret.' };
    case 'renew-issued':
    case 'created':
    case 'secret-received':
      return { ...base, state: 'needs-attention', message: 'The new secret is saved in the rotation journal but not yet in the token; "token resume" finishes it.' };
    case 'create-requested':
      return { ...base, state: 'needs-attention', message: 'A create was sent but its answer was not saved; "token resume" checks the service, revokes a token nobody holds, and creates the replacement again.' };
    case 'revoke-requested':
      return { ...base, state: 'needs-attention', message: 'The old token\'s revoke was interrupted; "token resume" revokes it.' };
    default:
      return { ...base, state: 'needs-attention', message: `Unknown rotation step "${entry.step}".` };
  }
}
