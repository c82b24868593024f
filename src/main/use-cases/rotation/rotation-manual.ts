import type { RotationOutcome } from '../../../shared/ipc/rotation-channels';
import { prefixOfSecret } from '../../../shared/token-prefix';
import { AppFailure } from '../../errors';
import { findEntry, nowIso, writeStep, type RotationContext } from './rotation-context';
import type { ManualPayload } from './rotation-journal';
import { afterStore, storeReplacement } from './rotation-replace';

// Rotation of a manual workspace: the user creates the new token on the service and pastes its secret.

export async function pasteSecret(rc: RotationContext, tokenId: string, secret: string, options: { expiresAt?: string | null } = {}): Promise<RotationOutcome> {
  const entry = findEntry(rc, tokenId)?.entry;
  if (entry?.mode !== 'manual' || entry.step !== 'awaiting-secret')
    throw new AppFailure('invalid-argument', 'No manual rotation waits for a secret for this token.', { next: 'rotate' });
  const next: ManualPayload = { ...entry.payload, issued: { secret, expiresAt: options.expiresAt ?? null } };
  writeStep<'manual'>(rc, entry.id, entry.tokenId, 'secret-received', next, secret);
  return applyManual(rc, entry.id, entry.tokenId, next);
}

export function applyManual(rc: RotationContext, id: string, oldTokenId: string, payload: ManualPayload): Promise<RotationOutcome> {
  const issued = payload.issued;
  if (!issued) throw new AppFailure('internal', 'The rotation journal has no pasted secret to apply.');
  const old = rc.vault.tokens.get(oldTokenId);
  storeReplacement(rc, old, payload.newTokenId, issued.secret, {
    prefix: prefixOfSecret(issued.secret),
    type: old.type,
    scopes: old.scopes,
    createdAt: nowIso(rc),
    expiresAt: issued.expiresAt,
  });
  return afterStore(rc, id, old, payload, {
    secret: issued.secret,
    expiresAt: issued.expiresAt,
    auditDetail: 'replacement pasted; waiting for "deployed"',
  });
}
