import { AppFailure, isAppFailure } from '../errors';
import type { CreateTokenInput, RemoteToken } from '../providers/provider-types';
import { isLostCreate } from '../providers/provider-types';
import type { ClientOverrides } from '../providers/provider-registry';
import type { TokenSummary, Vault } from '../vault';
import { connectWorkspace } from './workspace-connection';

/** The one-time reveal: the only place a secret leaves main for the renderer or the terminal. */
export interface IssuedSecret {
  token: TokenSummary;
  secret: string;
  /** Something the user should know (Strapi: regenerate kept the old expiry). */
  notice: string | null;
}

export interface OperationOptions {
  actor?: string;
  clientOverrides?: ClientOverrides;
}

const prefixOf = (secret: string) => {
  const m = /^([a-z]+[-_.]|[a-z]+-[a-z]+-)/i.exec(secret);
  return m ? m[1]! : secret.slice(0, 4);
};

/** Stores a freshly issued secret durably; if that fails the secret is handed back in the error, never lost. */
function storeOrHandBack(secret: string, store: () => TokenSummary): TokenSummary {
  try {
    return store();
  } catch (e) {
    if (isAppFailure(e) && e.unsavedSecret) throw e;
    const reason = isAppFailure(e) ? e.message : 'the vault could not write it';
    throw new AppFailure('secret-not-stored', `The service issued the token but Token Vault could not store it (${reason}). Copy the secret now: it will not be shown again.`, secret);
  }
}

function remoteFields(r: RemoteToken) {
  return { remoteId: r.remoteId, description: r.description, type: r.type, scopes: r.scopes, status: r.status, createdAt: r.createdAt ?? undefined, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt, usageCount: r.usageCount };
}

export async function createToken(vault: Vault, workspaceId: string, input: CreateTokenInput, options: OperationOptions = {}): Promise<IssuedSecret> {
  const actor = options.actor ?? 'app';
  const workspace = vault.getWorkspace(workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.capabilities.create) {
    const where = workspace.tokenPageUrl ? `on its token page (${workspace.tokenPageUrl})` : 'on the service';
    throw new AppFailure('unsupported', `${provider.label} workspaces cannot create tokens through an API. Create it ${where} and paste it in.`);
  }
  const outcome = await provider.create(ctx, input);
  if (isLostCreate(outcome)) {
    // Record what the service has, without a secret, so the user can regenerate or revoke it.
    if (outcome.token && !vault.findTokenByRemoteId(workspaceId, outcome.token.remoteId)) {
      vault.insertToken({ workspaceId, name: input.name, ...remoteFields(outcome.token) }, actor);
    }
    throw new AppFailure(outcome.token ? 'network' : 'network', outcome.message);
  }
  const { token: remote, secret } = outcome;
  const token = storeOrHandBack(secret, () =>
    vault.storeIssuedToken({ workspaceId, name: input.name, ...remoteFields(remote), description: input.description ?? remote.description, prefix: prefixOf(secret), secret }, actor),
  );
  return { token, secret, notice: null };
}

export async function regenerateToken(vault: Vault, tokenId: string, options: OperationOptions & { expiresAt?: string | null } = {}): Promise<IssuedSecret> {
  const actor = options.actor ?? 'app';
  const local = vault.getToken(tokenId);
  const workspace = vault.getWorkspace(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.renew || provider.capabilities.renew === 'none' || !local.remoteId) {
    throw new AppFailure('unsupported', `${provider.label} cannot regenerate a token in place. Rotate it instead: create a new one, then revoke this one.`);
  }
  const renewed = await provider.renew(ctx, local.remoteId, options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : undefined);
  // Secret first (durable, handed back on failure), then the facts around it.
  storeOrHandBack(renewed.secret, () => {
    vault.setTokenSecret(tokenId, renewed.secret, actor);
    return local;
  });
  const token = vault.updateToken(
    tokenId,
    { remoteId: renewed.token.remoteId, status: renewed.token.status, expiresAt: renewed.token.expiresAt, prefix: prefixOf(renewed.secret), lastRotatedAt: new Date().toISOString() },
    actor,
  );
  vault.appendAudit({ action: 'regenerated', tokenId, workspaceId: workspace.id, actor });
  const notice = provider.capabilities.renewKeepsExpiry
    ? `${provider.label} kept the old expiry (${token.expiresAt ?? 'never'}). For a new lifetime, create a new token and revoke this one.`
    : null;
  return { token, secret: renewed.secret, notice };
}

export async function revokeToken(vault: Vault, tokenId: string, options: OperationOptions = {}): Promise<TokenSummary> {
  const actor = options.actor ?? 'app';
  const local = vault.getToken(tokenId);
  const workspace = vault.getWorkspace(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  const secret = !local.remoteId && provider.revokeSecret ? vault.readSecret(tokenId) : null;
  if (local.remoteId && provider.revoke) await provider.revoke(ctx, local.remoteId);
  // GitHub revokes by the secret itself (a pasted token has no id there).
  else if (secret && provider.revokeSecret) await provider.revokeSecret(ctx, secret);
  else if (provider.capabilities.revoke) throw new AppFailure('unsupported', 'This token has no id at the service; sync the workspace first.');
  const token = vault.updateToken(tokenId, { status: 'revoked' }, actor);
  vault.appendAudit({ action: 'revoked', tokenId, workspaceId: workspace.id, actor });
  return token;
}

export async function setTokenActive(vault: Vault, tokenId: string, active: boolean, options: OperationOptions = {}): Promise<TokenSummary> {
  const actor = options.actor ?? 'app';
  const local = vault.getToken(tokenId);
  const workspace = vault.getWorkspace(local.workspaceId);
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.setActive || provider.capabilities.activate === 'none' || !local.remoteId) {
    throw new AppFailure('unsupported', `${provider.label} tokens cannot be activated or deactivated.`);
  }
  await provider.setActive(ctx, local.remoteId, active);
  const token = vault.updateToken(tokenId, { status: active ? 'active' : 'inactive' }, actor);
  vault.appendAudit({ action: active ? 'activated' : 'deactivated', tokenId, workspaceId: workspace.id, actor });
  return token;
}
