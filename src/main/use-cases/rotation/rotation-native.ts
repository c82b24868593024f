import type { RotationDeploy, RotationOutcome } from '../../../shared/ipc/rotation-channels';
import { AppFailure } from '../../errors';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { TokenSummary } from '../../vault';
import { nowIso, remoteFailed, writeStep, type RotationContext } from './rotation-context';
import { runDeploy, startDeploy } from './rotation-deploy';
import type { DeployState, NativePayload } from './rotation-journal';

// Rotation where the service renews the token itself (regenerate / rotate / roll): one call, no confirmation. The old
// secret stops working at once, so the new one goes to the deployment targets as soon as it is stored.

type Renewed = RotationOutcome & { kind: 'renewed' };

export async function runNative(
  rc: RotationContext,
  id: string,
  token: TokenSummary,
  payload: NativePayload,
  provider: Provider,
  ctx: ProviderContext,
  resuming = false,
): Promise<Renewed> {
  if (!provider.renew) throw new AppFailure('unsupported', `${provider.label} cannot renew a token in place.`);
  let issued;
  try {
    issued = await provider.renew(ctx, payload.targetRemoteId, payload.requestedExpiresAt ? { expiresAt: payload.requestedExpiresAt } : undefined);
  } catch (error) {
    // When resuming, an earlier renew may have gone through: keep the journal so the next resume tries again.
    throw remoteFailed(rc, id, token, error, 'renewing', resuming);
  }
  rc.checkpoint('remote:renew');
  const next: NativePayload = { ...payload, issued: { secret: issued.secret, token: issued.token } };
  writeStep<'native'>(rc, id, token.id, 'renew-issued', next, issued.secret);
  return applyNative(rc, id, token.id, next, provider);
}

/** Stores the renewed secret, then writes it to the token's targets. */
export async function applyNative(rc: RotationContext, id: string, tokenId: string, payload: NativePayload, provider: Provider): Promise<Renewed> {
  const issued = payload.issued;
  if (!issued) throw new AppFailure('internal', 'The rotation journal has no issued secret to apply.');
  const old = rc.vault.tokens.get(tokenId);
  // A renew that read the token back carries its real expiry; a bare answer (no createdAt) kept the old one.
  const readBack = issued.token.createdAt !== null;
  const keptExpiry = provider.capabilities.renewKeepsExpiry || !readBack;
  const expiresAt = keptExpiry ? old.expiresAt : issued.token.expiresAt;
  rc.vault.tokens.setSecret(tokenId, issued.secret, rc.actor);
  rc.checkpoint('store:secret');
  rc.vault.tokens.update(tokenId, {
    remoteId: issued.token.remoteId,
    expiresAt,
    status: 'active',
    lastRotatedAt: nowIso(rc),
    snoozedUntil: null,
  });
  const method = payload.method;
  rc.vault.audit.append({ action: method === 'regenerate' ? 'regenerated' : 'rotated', tokenId, workspaceId: old.workspaceId, actor: rc.actor, detail: `${method} at ${provider.label}` });
  const base = { kind: 'renewed' as const, method, tokenId, secret: issued.secret, expiresAt, keptExpiry, renewKeepsExpiry: provider.capabilities.renewKeepsExpiry, service: provider.label };
  // The token record holds the secret now: the journal drops it at its next step.
  const { issued: _stored, ...stored } = payload;
  const deploy = startDeploy(rc, tokenId);
  if (!deploy) {
    rc.vault.journal.remove(id);
    rc.checkpoint('journal:done');
    return { ...base, deploy: null };
  }
  return { ...base, deploy: await deployNative(rc, id, tokenId, { ...stored, deploy }) };
}

/** The deploy steps of a native rotation (also after a crash); the rotation is over when they end, whatever they found. */
export async function deployNative(rc: RotationContext, id: string, tokenId: string, payload: NativePayload & { deploy: DeployState }): Promise<RotationDeploy> {
  const { deploy } = await runDeploy<'native'>(rc, id, tokenId, payload);
  rc.vault.journal.remove(id);
  rc.checkpoint('journal:done');
  return deploy;
}
