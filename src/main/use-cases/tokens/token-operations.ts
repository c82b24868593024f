import type { IssuedSecret } from '../../../shared/issued-secret';
import { trimPastedSecret } from '../../../shared/pasted-secret';
import { prefixOfSecret } from '../../../shared/token-prefix';
import { isRevokedStatus } from '../../../shared/token-status';
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

/**
 * One name per token in a workspace, so WORKSPACE/NAME names one token: a new, pasted or renamed token may not take a
 * name another token of its workspace has (exactly; a sync still records whatever the service lists).
 */
export function assertNameFree(vault: Vault, workspaceId: string, name: string, exceptId?: string): void {
  if (vault.tokens.findByName(workspaceId, name).some((t) => t.name === name && t.id !== exceptId))
    throw new AppFailure('already-exists', `${vault.workspaces.get(workspaceId).name} already has a token named "${name}". Pick another name.`);
}

export async function createToken(vault: Vault, workspaceId: string, input: CreateTokenInput, options: OperationOptions = {}): Promise<IssuedSecret<TokenSummary>> {
  const actor = options.actor ?? 'app';
  const workspace = vault.workspaces.get(workspaceId);
  assertNameFree(vault, workspaceId, input.name);
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
  // Revoking twice would ask the service again (GitLab treats a second revoke of a rotated token as reuse).
  if (isRevokedStatus(local.status))
    throw new AppFailure(
      'already-revoked',
      local.status === 'revoked-remote' ? 'The service no longer lists this token: it is gone there already.' : 'This token is already revoked.',
    );
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
  assertNameFree(vault, ws.id, input.name);
  const { secret } = trimPastedSecret(input.secret);
  if (secret === '') throw new AppFailure('invalid-argument', 'The pasted secret is empty.');
  return vault.tokens.storeIssued(
    {
      workspaceId: ws.id,
      name: input.name,
      description: input.description ?? null,
      secret,
      prefix: prefixOfSecret(secret),
      expiresAt: input.expiresAt ?? null,
      rotationPolicy: input.rotationPolicy ?? null,
    },
    actor,
  );
}

export type TokenEdit = Pick<TokenPatch, 'name' | 'description' | 'notes' | 'rotationPolicy' | 'expiresAt'>;

/**
 * Names, notes, policy and expiry the user edits; `undefined` leaves a field as is, `null` clears it. A new expiry is
 * set where the token lives: in the vault alone for a manual workspace, at the service first where it can change one
 * (capabilities.editExpiry: Cloudflare), and refused elsewhere (GitLab's rotate takes a new expiry; others need a new
 * token), so the vault never shows a date the service does not enforce.
 */
export async function editToken(vault: Vault, tokenId: string, patch: TokenEdit, options: OperationOptions = {}): Promise<TokenSummary> {
  const actor = options.actor ?? 'app';
  const local = vault.tokens.get(tokenId);
  if (patch.name !== undefined) assertNameFree(vault, local.workspaceId, patch.name, tokenId);
  const defined: TokenPatch = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  // Stored dates are UTC ISO strings: the vault compares them as text.
  if (typeof defined.expiresAt === 'string') defined.expiresAt = new Date(defined.expiresAt).toISOString();
  if (defined.expiresAt !== undefined && defined.expiresAt !== local.expiresAt) {
    const workspace = vault.workspaces.get(local.workspaceId);
    const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
    if (!provider.capabilities.editExpiry)
      throw new AppFailure('unsupported', `${provider.label} cannot change the expiry of a token it has issued.`, {
        field: 'expiresAt',
        next: provider.capabilities.renew === 'rotate' ? 'rotate' : 'create-new',
      });
    if (workspace.kind !== 'manual') {
      if (!provider.setExpiry || !local.remoteId) throw new AppFailure('unsupported', 'This token has no id at the service.', { next: 'sync' });
      if (defined.expiresAt !== null && Date.parse(defined.expiresAt) <= Date.now())
        throw new AppFailure('invalid-argument', 'The service takes only a future expiry.', { field: 'expiresAt' });
      const remote = await provider.setExpiry(ctx, local.remoteId, defined.expiresAt);
      defined.expiresAt = remote.expiresAt;
      defined.status = remote.status;
    }
  }
  return vault.tokens.update(tokenId, defined, actor);
}
