import type { ConfirmOutcome } from '../../../shared/ipc/rotation-channels';
import { AppFailure, isAppFailure } from '../../errors';
import type { TokenSummary } from '../../vault/db/vault-types';
import { findEntry, writeStep, type RotationContext } from './rotation-context';
import { JournalPayload, type ReplacePayload } from './rotation-journal';

const DAY_MS = 86_400_000;

// "The new token is deployed": revoke the old one now, after a grace period, or (manual workspaces) by hand.

export async function confirm(rc: RotationContext, tokenId: string, options: { graceDays?: number } = {}): Promise<ConfirmOutcome> {
  const entry = findEntry(rc, tokenId);
  if (!entry) {
    const t = rc.vault.getToken(tokenId);
    const hint = t.replacesId || t.replacedById ? ' It was confirmed already.' : '';
    throw new AppFailure('invalid-argument', `No rotation of this token waits for confirmation.${hint}`);
  }
  const payload = JournalPayload.parse(entry.payload);
  if (payload.mode === 'native') throw new AppFailure('invalid-argument', 'This rotation was done by the service itself; nothing to confirm. Run "token resume" if it was interrupted.');
  if (entry.step !== 'awaiting-confirmation' && entry.step !== 'revoke-scheduled')
    throw new AppFailure('rotation-in-progress', `This rotation stopped at "${entry.step}"; run "token resume" first.`);
  const old = rc.vault.getToken(entry.tokenId);
  if (payload.mode === 'manual') {
    rc.vault.updateToken(old.id, { status: 'revoked' });
    rc.vault.appendAudit({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: rc.actor, detail: 'replaced (manual workspace): revoke it on the service' });
    rc.vault.removeJournal(entry.id);
    const where = payload.tokenPageUrl ? ` on ${payload.tokenPageUrl}` : ' on the service';
    return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'revoke-by-hand', revokeAt: null, message: `Marked the old token revoked in the vault. Revoke it${where} too: Token Vault cannot do it for a manual workspace.` };
  }
  const grace = options.graceDays ?? 0;
  if (grace > 0) {
    const revokeAt = new Date(rc.clock.now().getTime() + grace * DAY_MS).toISOString();
    writeStep(rc, entry.id, old.id, 'revoke-scheduled', { ...payload, revokeAt });
    return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'scheduled', revokeAt, message: `The old token keeps working until ${revokeAt}; it is revoked at the first start or "token resume" after that.` };
  }
  return revokeOld(rc, entry.id, old, payload);
}

export async function revokeOld(rc: RotationContext, id: string, old: TokenSummary, payload: ReplacePayload): Promise<ConfirmOutcome> {
  writeStep(rc, id, old.id, 'revoke-requested', payload);
  const workspace = rc.vault.getWorkspace(old.workspaceId);
  const { provider, ctx } = rc.connect(rc.vault, workspace);
  try {
    await provider.revoke!(ctx, payload.oldRemoteId);
  } catch (error) {
    // Already gone at the service is what we wanted.
    if (!(isAppFailure(error) && error.code === 'remote-not-found')) {
      const msg = isAppFailure(error) ? error.message : 'The service could not be reached.';
      throw new AppFailure(isAppFailure(error) ? error.code : 'network', `The new token is stored and active, but the old one could not be revoked yet: ${msg} Run "token resume" to try again.`);
    }
  }
  rc.checkpoint('remote:revoke');
  rc.vault.updateToken(old.id, { status: 'revoked' });
  rc.vault.appendAudit({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: rc.actor, detail: 'revoked after the replacement was confirmed deployed' });
  rc.vault.removeJournal(id);
  rc.checkpoint('journal:done');
  return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'revoked', revokeAt: null, message: `The old token is revoked at ${provider.label}; the new one is in use.` };
}
