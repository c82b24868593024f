import type { IssuedSecret } from '../../../shared/issued-secret';
import { prefixOfSecret } from '../../../shared/token-prefix';
import { AppFailure } from '../../errors';
import { getProvider, type ClientOverrides } from '../../providers/provider-registry';
import { isLostCreate, type CreateTokenInput, type RemoteToken } from '../../providers/provider-types';
import type { TokenPatch, TokenSummary, Vault } from '../../vault';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import { refuseWhileRotating } from '../rotation/rotation-context';
import type { NativePayload } from '../rotation/rotation-journal';
import { connectWorkspace } from '../workspace-connection';

export interface OperationOptions {
  actor?: string;
  clientOverrides?: ClientOverrides;
}

// A fresh secret goes straight into the vault (tokens.storeIssued / tokens.setSecret): the vault stores it durably
// before these return, or hands it back in the error (AppFailure.unsavedSecret). Nothing here repeats that.

function remoteFields(r: RemoteToken) {
  return { remoteId: r.remoteId, description: r.description, type: r.type, scopes: r.scopes, status: r.status, createdAt: r.createdAt ?? undefined, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt, usageCount: r.usageCount };
}

export async function createToken(vault: Vault, workspaceId: string, input: CreateTokenInput, options: OperationOptions = {}): Promise<IssuedSecret<TokenSummary>> {
  const actor = options.actor ?? 'app';
  const workspace = vault.workspaces.get(workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.capabilities.create) {
    const where = workspace.tokenPageUrl ? `on its token page (${workspace.tokenPageUrl})` : 'on the service';
    throw new AppFailure('unsupported', `${provider.label} workspaces cannot create tokens through an API. Create it ${where} and paste it in.`, { next: 'paste' });
  }
  const outcome = await provider.create(ctx, input);
  if (isLostCreate(outcome)) {
    // Record what the service has, without a secret, so the user can regenerate or revoke it.
    if (outcome.token && !vault.tokens.findByRemoteId(workspaceId, outcome.token.remoteId)) {
      vault.tokens.insert({ workspaceId, name: input.name, ...remoteFields(outcome.token) }, actor);
    }
    throw new AppFailure(outcome.cause, outcome.message);
  }
  const { token: remote, secret } = outcome;
  const token = vault.tokens.storeIssued(
    { workspaceId, name: input.name, ...remoteFields(remote), description: input.description ?? remote.description, prefix: prefixOfSecret(secret), secret },
    actor,
  );
  return { token, secret };
}

export async function regenerateToken(vault: Vault, tokenId: string, options: OperationOptions & { expiresAt?: string | null } = {}): Promise<IssuedSecret<TokenSummary>> {
  const actor = options.actor ?? 'app';
  const local = vault.tokens.get(tokenId);
  const workspace = vault.workspaces.get(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.renew || provider.capabilities.renew === 'none' || !local.remoteId) {
    throw new AppFailure('unsupported', `${provider.label} cannot regenerate a token in place.`, { next: 'rotate' });
  }
  // A regenerate is a native renew: it claims the token in the rotation journal (refused at once, before any remote
  // call, when a rotation or another regenerate holds it, in any process), and a crash after the call is finished
  // by `resume` like an interrupted rotation.
  const payload: NativePayload = {
    v: 1,
    mode: 'native',
    workspaceId: workspace.id,
    startedAt: new Date().toISOString(),
    method: provider.capabilities.renew,
    targetRemoteId: local.remoteId,
    requestedExpiresAt: options.expiresAt ?? null,
  };
  refuseWhileRotating({ vault }, local);
  let claim;
  try {
    claim = vault.journal.put({ tokenId, step: 'renew-requested', payload, claim: true });
  } catch (error) {
    if (error instanceof AppFailure && error.code === 'rotation-in-progress') refuseWhileRotating({ vault }, local);
    throw error;
  }
  let renewed;
  try {
    renewed = await provider.renew(ctx, local.remoteId, options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : undefined);
  } catch (error) {
    // Surely not applied: nothing to finish. Maybe applied: the journal keeps it for `resume`.
    if (!(isRemoteFailure(error) && error.info.maybeApplied === true)) vault.journal.remove(claim.id);
    throw error;
  }
  // Secret first (durable, handed back on failure), then the facts around it.
  vault.tokens.setSecret(tokenId, renewed.secret, actor);
  const token = vault.tokens.update(
    tokenId,
    { remoteId: renewed.token.remoteId, status: renewed.token.status, expiresAt: renewed.token.expiresAt, prefix: prefixOfSecret(renewed.secret), lastRotatedAt: new Date().toISOString() },
    actor,
  );
  vault.audit.append({ action: 'regenerated', tokenId, workspaceId: workspace.id, actor });
  vault.journal.remove(claim.id);
  return { token, secret: renewed.secret, keptExpiry: provider.capabilities.renewKeepsExpiry };
}

export async function revokeToken(vault: Vault, tokenId: string, options: OperationOptions = {}): Promise<TokenSummary> {
  const actor = options.actor ?? 'app';
  const local = vault.tokens.get(tokenId);
  const workspace = vault.workspaces.get(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  refuseWhileRotating({ vault }, local);
  const secret = !local.remoteId && provider.revokeSecret ? vault.tokens.readSecret(tokenId) : null;
  if (local.remoteId && provider.revoke) await provider.revoke(ctx, local.remoteId);
  // GitHub revokes by the secret itself (a pasted token has no id there).
  else if (secret && provider.revokeSecret) await provider.revokeSecret(ctx, secret);
  else if (provider.capabilities.revoke) throw new AppFailure('unsupported', 'This token has no id at the service.', { next: 'sync' });
  const token = vault.tokens.update(tokenId, { status: 'revoked' }, actor);
  vault.audit.append({ action: 'revoked', tokenId, workspaceId: workspace.id, actor });
  return token;
}

export async function setTokenActive(vault: Vault, tokenId: string, active: boolean, options: OperationOptions = {}): Promise<TokenSummary> {
  const actor = options.actor ?? 'app';
  const local = vault.tokens.get(tokenId);
  const workspace = vault.workspaces.get(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.setActive || provider.capabilities.activate === 'none' || !local.remoteId) {
    throw new AppFailure('unsupported', `${provider.label} tokens cannot be activated or deactivated.`);
  }
  refuseWhileRotating({ vault }, local);
  await provider.setActive(ctx, local.remoteId, active);
  const token = vault.tokens.update(tokenId, { status: active ? 'active' : 'inactive' }, actor);
  vault.audit.append({ action: active ? 'activated' : 'deactivated', tokenId, workspaceId: workspace.id, actor });
  return token;
}

/** A token made by hand on a service with no create API (manual, GitHub): the user pastes its secret. */
export function addPastedToken(
  vault: Vault,
  input: { workspaceId: string; name: string; description?: string | null; secret: string; expiresAt?: string | null; rotationPolicy?: TokenPatch['rotationPolicy'] },
  actor = 'app',
): TokenSummary {
  const ws = vault.workspaces.get(input.workspaceId);
  // Pasting is for services with no create API; the others issue their tokens themselves.
  if (getProvider(ws.kind).capabilities.create) throw new AppFailure('unsupported', `${ws.name} has an admin API: create the token there instead of pasting one.`);
  return vault.tokens.storeIssued(
    {
      workspaceId: ws.id,
      name: input.name,
      description: input.description ?? null,
      secret: input.secret,
      prefix: prefixOfSecret(input.secret),
      expiresAt: input.expiresAt ?? null,
      rotationPolicy: input.rotationPolicy ?? null,
    },
    actor,
  );
}

/** Names, notes and policy the user edits; `undefined` leaves a field as is, `null` clears it. */
export function editToken(vault: Vault, tokenId: string, patch: Pick<TokenPatch, 'name' | 'description' | 'notes' | 'rotationPolicy'>, actor = 'app'): TokenSummary {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return vault.tokens.update(tokenId, defined, actor);
}
