import { AppFailure } from '../errors';
import { assertSafeUrl } from '../providers/http/url-policy';
import { getProvider, type ClientOverrides } from '../providers/provider-registry';
import type { ProviderKind, Vault, Workspace } from '../vault';
import { connectWith, connectWorkspace, memoryLoginStore, splitWorkspaceUrl } from './workspace-connection';

export interface AddWorkspaceInput {
  kind: ProviderKind;
  name: string;
  baseUrl?: string | null;
  username?: string | null;
  adminSecret?: string | null;
  tokenPageUrl?: string | null;
  /** Check the credential against the service before saving (default true). */
  verify?: boolean;
}

export interface UpdateWorkspaceInput {
  name?: string;
  baseUrl?: string | null;
  username?: string | null;
  adminSecret?: string | null;
  tokenPageUrl?: string | null;
}

/**
 * The checks every workspace address goes through, on add and on edit alike: the service URL (https, or http to
 * loopback; no credential in it) and the token page (a web address, nothing else).
 */
function checkAddresses(input: { baseUrl?: string | null; tokenPageUrl?: string | null }): void {
  if (input.baseUrl) {
    try {
      assertSafeUrl(splitWorkspaceUrl(input.baseUrl).baseUrl);
    } catch (e) {
      throw e instanceof AppFailure ? new AppFailure(e.code, e.message, { field: 'baseUrl' }) : e;
    }
  }
  if (input.tokenPageUrl) checkTokenPageUrl(input.tokenPageUrl);
}

/** Adds a workspace: the addresses are checked, the credential verified, then stored encrypted. */
export async function addWorkspace(vault: Vault, input: AddWorkspaceInput, overrides: ClientOverrides = {}): Promise<{ workspace: Workspace; account: string | null }> {
  const provider = getProvider(input.kind);
  if (vault.workspaces.findByName(input.name)) throw new AppFailure('already-exists', `A workspace named "${input.name}" already exists. Pick another name.`);
  const baseUrl = input.baseUrl || provider.fields.defaultBaseUrl || null;
  if (provider.fields.baseUrl === 'required' && !baseUrl) throw new AppFailure('invalid-argument', `${provider.label} workspaces need a URL.`, { field: 'baseUrl' });
  checkAddresses({ baseUrl, tokenPageUrl: input.tokenPageUrl ?? null });
  if (provider.fields.username === 'required' && !input.username)
    throw new AppFailure('invalid-argument', `${provider.label} workspaces need ${provider.fields.usernameLabel ?? 'a user name'}.`, { field: 'username' });
  if (provider.fields.adminSecret === 'required' && !input.adminSecret)
    throw new AppFailure('invalid-argument', `${provider.label} workspaces need ${provider.fields.adminSecretLabel ?? 'an admin credential'}.`, { field: 'adminSecret' });
  const workspace = vault.workspaces.create({ kind: input.kind, name: input.name, baseUrl, username: input.username ?? null, tokenPageUrl: input.tokenPageUrl ?? null, adminCredential: input.adminSecret ?? null });
  if (input.verify === false || input.kind === 'manual') return { workspace, account: null };
  try {
    const { ctx } = connectWorkspace(vault, workspace, overrides);
    const { account } = await provider.verify(ctx);
    return { workspace: vault.workspaces.get(workspace.id), account };
  } catch (e) {
    // A workspace that cannot log in is not kept: the user fixes the input and adds it again.
    vault.workspaces.remove(workspace.id, { withTokens: true });
    throw e;
  }
}

/** The origin a workspace address sends to (scheme, host, port), after the provider's default address. */
function effectiveOrigin(kind: ProviderKind, baseUrl: string | null | undefined): string | null {
  const url = baseUrl || getProvider(kind).fields.defaultBaseUrl || null;
  if (!url) return null;
  try {
    return new URL(splitWorkspaceUrl(url).baseUrl).origin;
  } catch {
    return null;
  }
}

/**
 * Edits a workspace through the same address checks as add. Moving it to another origin (scheme, host, port) needs
 * its admin credential again: the stored one is never sent to a host it was not given for (the vault drops it). A new
 * credential, or the old one at a new address, is verified at the service before anything is saved, as add does.
 */
export async function updateWorkspace(vault: Vault, id: string, input: UpdateWorkspaceInput, overrides: ClientOverrides = {}): Promise<Workspace> {
  const { adminSecret, ...rest } = input;
  const current = vault.workspaces.get(id);
  const clash = rest.name === undefined ? undefined : vault.workspaces.findByName(rest.name);
  if (clash && clash.id !== id)
    throw new AppFailure('already-exists', `A workspace named "${rest.name}" already exists. Pick another name.`);
  checkAddresses(rest);
  const provider = getProvider(current.kind);
  const takesCredential = current.kind !== 'manual' && provider.fields.adminSecret !== 'unused';
  const moved = rest.baseUrl !== undefined && effectiveOrigin(current.kind, rest.baseUrl) !== effectiveOrigin(current.kind, current.baseUrl);
  if (moved && takesCredential && !adminSecret) {
    const to = effectiveOrigin(current.kind, rest.baseUrl) ?? 'the new address';
    throw new AppFailure(
      'invalid-argument',
      `The workspace moves to ${to}: enter its ${provider.fields.adminSecretLabel ?? 'admin credential'} for that address. The stored one is never sent to another host.`,
      { field: 'adminSecret' },
    );
  }
  if (takesCredential && adminSecret) {
    const next = {
      id,
      kind: current.kind,
      name: rest.name ?? current.name,
      baseUrl: rest.baseUrl !== undefined ? rest.baseUrl || provider.fields.defaultBaseUrl || null : current.baseUrl,
      username: rest.username !== undefined ? rest.username : current.username,
    };
    const { ctx } = connectWith(next, adminSecret, memoryLoginStore(), overrides);
    await provider.verify(ctx);
  }
  return vault.workspaces.update(id, { ...rest, ...(adminSecret !== undefined ? { adminCredential: adminSecret } : {}) });
}

/**
 * The user confirms, on this device, that a workspace's stored admin credential may go to the address a shared change
 * moved the workspace to. `origin` is the new origin as the user was shown it: another move since is refused (the
 * vault checks it in the same write). The credential is then verified at the new address, as an edit that keeps the
 * credential at a new address is; if the service refuses it, the user enters the right one (the confirmation stands:
 * they chose to send it there).
 */
export async function confirmMovedCredential(vault: Vault, id: string, origin: string | null, overrides: ClientOverrides = {}): Promise<Workspace> {
  const current = vault.workspaces.get(id);
  if (!current.credentialHold) return current;
  const workspace = vault.workspaces.releaseCredential(id, origin);
  const provider = getProvider(workspace.kind);
  if (workspace.kind === 'manual' || provider.fields.adminSecret === 'unused' || !workspace.hasAdminCredential) return workspace;
  const { ctx } = connectWorkspace(vault, workspace, overrides);
  await provider.verify(ctx);
  return vault.workspaces.get(id);
}

/** The token page is only ever opened in the browser, so any http(s) address will do; nothing else (javascript:, file:). */
function checkTokenPageUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    throw new AppFailure('invalid-argument', 'The token page must be a web address (https://...). Copy it from the browser\'s address bar.', { field: 'tokenPageUrl' });
}
