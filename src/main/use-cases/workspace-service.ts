import { AppFailure } from '../errors';
import { assertSafeUrl } from '../providers/http/http-client';
import { getProvider } from '../providers/provider-registry';
import type { ClientOverrides } from '../providers/provider-registry';
import type { ProviderKind, Vault, Workspace } from '../vault';
import { connectWorkspace, splitWorkspaceUrl } from './workspace-connection';

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

/** Adds a workspace: the URL is checked (https, or http to loopback), the credential verified, then stored encrypted. */
export async function addWorkspace(vault: Vault, input: AddWorkspaceInput, overrides: ClientOverrides = {}): Promise<{ workspace: Workspace; account: string | null }> {
  const provider = getProvider(input.kind);
  if (vault.findWorkspaceByName(input.name)) throw new AppFailure('already-exists', `A workspace named "${input.name}" already exists. Pick another name.`);
  const baseUrl = input.baseUrl || provider.fields.defaultBaseUrl || null;
  if (provider.fields.baseUrl === 'required' && !baseUrl) throw new AppFailure('invalid-argument', `${provider.label} workspaces need a URL (--url).`);
  if (baseUrl) assertSafeUrl(splitWorkspaceUrl(baseUrl).baseUrl);
  if (provider.fields.username === 'required' && !input.username) throw new AppFailure('invalid-argument', `${provider.label} workspaces need ${provider.fields.usernameLabel ?? 'a user name'} (--user).`);
  if (provider.fields.adminSecret === 'required' && !input.adminSecret) throw new AppFailure('invalid-argument', `${provider.label} workspaces need ${provider.fields.adminSecretLabel ?? 'an admin credential'}.`);
  if (input.tokenPageUrl) checkTokenPageUrl(input.tokenPageUrl);
  const workspace = vault.createWorkspace({ kind: input.kind, name: input.name, baseUrl, username: input.username ?? null, tokenPageUrl: input.tokenPageUrl ?? null, adminCredential: input.adminSecret ?? null });
  if (input.verify === false || input.kind === 'manual') return { workspace, account: null };
  try {
    const { ctx } = connectWorkspace(vault, workspace, overrides);
    const { account } = await provider.verify(ctx);
    return { workspace: vault.getWorkspace(workspace.id), account };
  } catch (e) {
    // A workspace that cannot log in is not kept: the user fixes the input and adds it again.
    vault.removeWorkspace(workspace.id, { withTokens: true });
    throw e;
  }
}

export function resolveWorkspace(vault: Vault, nameOrId: string): Workspace {
  const found = vault.findWorkspaceByName(nameOrId) ?? vault.listWorkspaces().find((w) => w.id === nameOrId);
  if (!found) throw new AppFailure('not-found', `No workspace named "${nameOrId}". See \`token-vault workspace list\`.`);
  return found;
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
    throw new AppFailure('invalid-argument', 'The token page must be a web address (https://...). Copy it from the browser\'s address bar.');
}
