import type { ConfirmOutcome } from '../../../shared/ipc/rotation-channels';
import { AppFailure, isAppFailure } from '../../errors';
import { getProvider } from '../../providers/provider-registry';
import type { TokenSummary } from '../../vault';
import { daysFromNow, findEntry, writeStep, type RotationContext } from './rotation-context';
import type { ReplacePayload } from './rotation-journal';

// "The new token is deployed": revoke the old one now, after a grace period, or (manual workspaces) by hand.

export async function confirm(rc: RotationContext, tokenId: string, options: { graceDays?: number } = {}): Promise<ConfirmOutcome> {
  const found = findEntry(rc, tokenId);
  if (!found) {
    const t = rc.vault.tokens.get(tokenId);
    const hint = t.replacesId || t.replacedById ? ' It was confirmed already.' : '';
    throw new AppFailure('invalid-argument', `No rotation of this token waits for confirmation.${hint}`);
  }
  const { entry } = found;
  if (!entry) throw new AppFailure('vault-corrupt', 'This rotation step could not be read; the token records are unchanged.');
  if (entry.mode === 'native')
    throw new AppFailure('invalid-argument', 'This rotation was done by the service itself; nothing to confirm.', { next: 'resume' });
  if (entry.step !== 'awaiting-confirmation' && entry.step !== 'revoke-scheduled')
    throw new AppFailure('rotation-in-progress', `This rotation stopped at "${entry.step}".`, { next: 'resume' });
  const old = rc.vault.tokens.get(entry.tokenId);
  if (entry.mode === 'manual') {
    rc.vault.tokens.update(old.id, { status: 'revoked' });
    rc.vault.audit.append({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: rc.actor, detail: 'replaced (manual workspace): revoke it on the service' });
    rc.vault.journal.remove(entry.id);
    return { oldTokenId: old.id, newTokenId: entry.payload.newTokenId, state: 'revoke-by-hand', revokeAt: null, service: serviceOf(rc, old), tokenPageUrl: entry.payload.tokenPageUrl };
  }
  // The later of the grace given now and the earliest revoke time the rotation recorded when it started (a second
  // confirmation of a scheduled revoke, without a grace, revokes now: that is what it is for).
  const grace = options.graceDays ?? 0;
  const recorded = entry.step === 'awaiting-confirmation' ? (entry.payload.revokeAt ?? null) : null;
  const candidates = [grace > 0 ? daysFromNow(rc, grace) : null, recorded].filter((t): t is string => t !== null);
  const revokeAt = candidates.sort().at(-1);
  if (revokeAt && Date.parse(revokeAt) > rc.clock.now().getTime()) {
    writeStep<'replace'>(rc, entry.id, old.id, 'revoke-scheduled', { ...entry.payload, revokeAt });
    return { oldTokenId: old.id, newTokenId: entry.payload.newTokenId, state: 'scheduled', revokeAt, service: serviceOf(rc, old), tokenPageUrl: null };
  }
  return revokeOld(rc, entry.id, old, entry.payload);
}

export async function revokeOld(rc: RotationContext, id: string, old: TokenSummary, payload: ReplacePayload): Promise<ConfirmOutcome> {
  writeStep<'replace'>(rc, id, old.id, 'revoke-requested', payload);
  const workspace = rc.vault.workspaces.get(old.workspaceId);
  const { provider, ctx } = rc.connect(rc.vault, workspace);
  if (!provider.revoke) throw new AppFailure('unsupported', `${provider.label} cannot revoke tokens through its API.`, { next: 'revoke-by-hand' });
  try {
    await provider.revoke(ctx, payload.oldRemoteId);
  } catch (error) {
    // Already gone at the service is what we wanted.
    if (!(isAppFailure(error) && error.code === 'remote-not-found')) {
      const msg = isAppFailure(error) ? error.message : 'The service could not be reached.';
      throw new AppFailure(isAppFailure(error) ? error.code : 'network', `The new token is stored and active, but the old one could not be revoked yet: ${msg}`, { next: 'resume' });
    }
  }
  rc.checkpoint('remote:revoke');
  rc.vault.tokens.update(old.id, { status: 'revoked' });
  rc.vault.audit.append({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: rc.actor, detail: 'revoked after the replacement was confirmed deployed' });
  rc.vault.journal.remove(id);
  rc.checkpoint('journal:done');
  return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'revoked', revokeAt: null, service: provider.label, tokenPageUrl: null };
}

const serviceOf = (rc: RotationContext, token: TokenSummary) => getProvider(rc.vault.workspaces.get(token.workspaceId).kind).label;
