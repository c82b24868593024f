import { randomUUID } from 'node:crypto';
import type { RotationDeploy, RotationOutcome, WaitReason } from '../../../shared/ipc/rotation-channels';
import { prefixOfSecret } from '../../../shared/token-prefix';
import { AppFailure, isAppFailure } from '../../errors';
import { getProvider } from '../../providers/provider-registry';
import { isLostCreate, type CreateTokenInput, type Provider, type ProviderContext, type RemoteToken } from '../../providers/provider-types';
import type { NewToken, TokenSummary, Workspace } from '../../vault';
import { nowIso, remoteFailed, sameLifetime, writeStep, type RotationContext } from './rotation-context';
import { revokeOld } from './rotation-confirm';
import { runDeploy, startDeploy, waitReason } from './rotation-deploy';
import type { ManualPayload, ReplacePayload } from './rotation-journal';

/** ` (rotated 2026-11-23 18:55)`: the remote name of a replacement, unique where the service wants unique names. */
const ROTATED_SUFFIX = / \(rotated \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?\)$/;
const OLD_SUFFIX = ' (replaced)';

// Rotation by replacement: create a new token beside the old one; the old one is revoked on confirm (rotation-confirm.ts).

export async function startReplace(
  rc: RotationContext,
  token: TokenSummary,
  workspace: Workspace,
  provider: Provider,
  ctx: ProviderContext,
  expiresAt?: string | null,
  revokeAt: string | null = null,
): Promise<RotationOutcome> {
  // What exists before, so a create whose answer dies with the process can be told apart afterwards.
  let known: RemoteToken[];
  try {
    known = await provider.list(ctx);
  } catch (error) {
    throw remoteFailed(rc, undefined, token, error, 'listing tokens before the rotation');
  }
  const base = token.name.replace(ROTATED_SUFFIX, '').replace(OLD_SUFFIX, '');
  const remoteName = provider.capabilities.remoteNames ? `${base} (rotated ${nowIso(rc).slice(0, 16).replace('T', ' ')})` : base;
  const payload: ReplacePayload = {
    v: 1,
    mode: 'replace',
    workspaceId: workspace.id,
    startedAt: nowIso(rc),
    oldRemoteId: token.remoteId!,
    newTokenId: randomUUID(),
    remoteName,
    knownRemoteIds: known.map((t) => t.remoteId),
    input: {
      name: remoteName,
      ...(token.description ? { description: token.description } : {}),
      ...(provider.capabilities.expiry === 'none' ? {} : { expiresAt: expiresAt !== undefined ? expiresAt : sameLifetime(rc, token) }),
      ...(token.type && provider.capabilities.types.includes(token.type) ? { type: token.type } : {}),
      ...(token.scopes.length ? { scopes: token.scopes } : {}),
    },
    revokeAt,
  };
  const entry = writeStep<'replace'>(rc, undefined, token.id, 'create-requested', payload);
  return runCreate(rc, entry.id, token, payload, provider, ctx);
}

async function runCreate(rc: RotationContext, id: string, token: TokenSummary, payload: ReplacePayload, provider: Provider, ctx: ProviderContext): Promise<RotationOutcome> {
  let outcome;
  try {
    outcome = await provider.create(ctx, payload.input as CreateTokenInput);
  } catch (error) {
    throw remoteFailed(rc, id, token, error, 'creating the new token');
  }
  rc.checkpoint('remote:create');
  if (isLostCreate(outcome)) {
    // The provider already reconciled by listing. A token nobody holds the secret of is useless: revoke it.
    if (outcome.token && provider.revoke) await provider.revoke(ctx, outcome.token.remoteId).catch(() => undefined);
    rc.vault.journal.remove(id);
    throw new AppFailure('unexpected-response', `${outcome.message} The rotation did not happen; the old token is unchanged and still stored. Try again.`);
  }
  const next: ReplacePayload = { ...payload, issued: { secret: outcome.secret, token: outcome.token } };
  writeStep<'replace'>(rc, id, token.id, 'created', next, outcome.secret);
  return applyCreated(rc, id, token.id, next);
}

export function applyCreated(rc: RotationContext, id: string, oldTokenId: string, payload: ReplacePayload): Promise<AfterStore> {
  const issued = payload.issued;
  if (!issued) throw new AppFailure('internal', 'The rotation journal has no issued secret to apply.');
  const old = rc.vault.tokens.get(oldTokenId);
  storeReplacement(rc, old, payload.newTokenId, issued.secret, {
    remoteId: issued.token.remoteId,
    prefix: prefixOfSecret(issued.secret),
    type: issued.token.type ?? old.type,
    scopes: issued.token.scopes.length ? issued.token.scopes : old.scopes,
    createdAt: issued.token.createdAt ?? nowIso(rc),
    expiresAt: issued.token.expiresAt,
  });
  rc.checkpoint('store:new-token');
  return afterStore(rc, id, old, payload, {
    secret: issued.secret,
    expiresAt: issued.token.expiresAt,
    auditDetail: 'replacement created; it is deployed and checked before this one is revoked',
  });
}

type AfterStore = RotationOutcome & { kind: 'awaiting-confirmation' | 'replaced' };

/**
 * The replacement is stored: label the old token, hand its deployment targets to the replacement, drop the secret
 * from the journal (the vault holds it now), write the new secret to every target and check it at the service. Then
 * the old token goes on its own (at once, or once the grace period has passed), or waits for the user to say the new
 * one is deployed: when Token Vault does not know where it is used, a target failed, the service could not confirm
 * the new secret, or the workspace has no admin API (pasted tokens are revoked by hand).
 */
export async function afterStore(
  rc: RotationContext,
  id: string,
  old: TokenSummary,
  payload: ReplacePayload | ManualPayload,
  outcome: { secret: string; expiresAt: string | null; auditDetail: string },
): Promise<AfterStore> {
  labelReplaced(rc, old, payload.newTokenId, outcome.auditDetail);
  rc.vault.targets.moveAll(old.id, payload.newTokenId);
  const { issued: _stored, ...stored } = payload;
  const deploy = stored.deploy ?? startDeploy(rc, stored.newTokenId);
  if (!deploy) return awaitConfirmation(rc, id, old, stored, outcome, stored.mode === 'manual' ? 'pasted' : 'no-targets', null);
  if (stored.mode === 'manual') {
    const done = await runDeploy<'manual'>(rc, id, old.id, { ...stored, deploy });
    return awaitConfirmation(rc, id, old, done.payload, outcome, waitReason(done.payload.deploy, done.deploy) ?? 'pasted', done.deploy);
  }
  const done = await runDeploy<'replace'>(rc, id, old.id, { ...stored, deploy });
  const because = waitReason(done.payload.deploy, done.deploy);
  if (because) return awaitConfirmation(rc, id, old, done.payload, outcome, because, done.deploy);
  const base = { kind: 'replaced' as const, oldTokenId: old.id, newTokenId: stored.newTokenId, secret: outcome.secret, expiresAt: outcome.expiresAt, deploy: done.deploy };
  const revokeAt = done.payload.revokeAt ?? null;
  if (revokeAt && Date.parse(revokeAt) > rc.clock.now().getTime()) {
    writeStep<'replace'>(rc, id, old.id, 'revoke-scheduled', done.payload);
    return { ...base, revoke: { state: 'scheduled', revokeAt }, service: serviceLabel(rc, old) };
  }
  rc.progress({ tokenId: old.id, step: 'revoking' });
  try {
    const revoked = await revokeOld(rc, id, old, done.payload);
    return { ...base, revoke: { state: 'revoked' }, service: revoked.service };
  } catch (error) {
    // The new token is stored, deployed and working; only the old one's end is pending, and the journal keeps it.
    const failure = isAppFailure(error) ? error : new AppFailure('internal', 'The old token could not be revoked yet.');
    return { ...base, revoke: { state: 'failed', code: failure.code, message: failure.message, next: failure.next ?? 'resume' }, service: serviceLabel(rc, old) };
  }
}

/** Waits for the user to say the new token is deployed; the step keeps the deploy state (its failed targets). */
function awaitConfirmation(
  rc: RotationContext,
  id: string,
  old: TokenSummary,
  payload: Omit<ReplacePayload, 'issued'> | Omit<ManualPayload, 'issued'>,
  outcome: { secret: string; expiresAt: string | null },
  waitingBecause: WaitReason,
  deploy: RotationDeploy | null,
): RotationOutcome & { kind: 'awaiting-confirmation' } {
  if (payload.mode === 'replace') writeStep<'replace'>(rc, id, old.id, 'awaiting-confirmation', { ...payload, waiting: waitingBecause });
  else writeStep<'manual'>(rc, id, old.id, 'awaiting-confirmation', { ...payload, waiting: waitingBecause });
  return {
    kind: 'awaiting-confirmation',
    oldTokenId: old.id,
    newTokenId: payload.newTokenId,
    secret: outcome.secret,
    expiresAt: outcome.expiresAt,
    pasted: payload.mode === 'manual',
    waitingBecause,
    deploy,
    next: 'confirm',
  };
}

const serviceLabel = (rc: RotationContext, token: TokenSummary) => getProvider(rc.vault.workspaces.get(token.workspaceId).kind).label;

/** Stores the new token (once: a resumed rotation finds it already there) with the old one's names and policies. */
export function storeReplacement(
  rc: RotationContext,
  old: TokenSummary,
  newTokenId: string,
  secret: string,
  fromService: Pick<NewToken, 'remoteId' | 'prefix' | 'type' | 'scopes' | 'createdAt' | 'expiresAt'>,
): void {
  if (rc.vault.tokens.find(newTokenId)) return;
  rc.vault.tokens.storeIssued(
    {
      id: newTokenId,
      workspaceId: old.workspaceId,
      name: old.name.replace(OLD_SUFFIX, ''),
      description: old.description,
      url: old.url,
      notes: old.notes,
      secret,
      status: 'active',
      rotationPolicy: old.rotationPolicy,
      warningDays: old.warningDays,
      lastRotatedAt: nowIso(rc),
      replacesId: old.id,
      ...fromService,
    },
    rc.actor,
  );
}

/** The old token stays stored, named "(old)" and linked to its replacement, until the user confirms. */
export function labelReplaced(rc: RotationContext, old: TokenSummary, newTokenId: string, auditDetail: string): void {
  if (old.replacedById === newTokenId) return;
  rc.vault.tokens.update(old.id, { replacedById: newTokenId, name: old.name.endsWith(OLD_SUFFIX) ? old.name : old.name + OLD_SUFFIX });
  rc.vault.audit.append({ action: 'rotated', tokenId: old.id, workspaceId: old.workspaceId, actor: rc.actor, detail: auditDetail });
}
