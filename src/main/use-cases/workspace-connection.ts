import { contextFor, getProvider, type ClientOverrides } from '../providers/provider-registry';
import type { LoginStore, Provider, ProviderContext } from '../providers/provider-types';
import type { Vault, Workspace } from '../vault';

// Provider settings (GitLab projects/groups, OpenAI projects...) travel in the workspace URL's fragment, which never
// reaches the server; the one definition is shared with the window, which shows them as fields.
export { splitWorkspaceUrl } from '../../shared/workspace-url';
import { splitWorkspaceUrl } from '../../shared/workspace-url';

/** The provider's login kept in the vault, encrypted, so every process reuses it instead of logging in again. */
export function vaultLoginStore(vault: Vault, workspaceId: string): LoginStore {
  return {
    get: () => {
      const raw = vault.workspaces.login(workspaceId);
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return null;
      }
    },
    set: (value) => vault.workspaces.setLogin(workspaceId, value == null ? null : JSON.stringify(value)),
  };
}

/**
 * A provider context for one workspace: its address, admin credential and login as stored NOW (read together, so a
 * credential never goes to an address another process just replaced), and the per-workspace rate limit.
 */
export function connectWorkspace(vault: Vault, workspace: Workspace, overrides: ClientOverrides = {}, signal?: AbortSignal): { provider: Provider; ctx: ProviderContext } {
  const { workspace: current, adminCredential } = vault.workspaces.connection(workspace.id);
  return connectWith(current, adminCredential, vaultLoginStore(vault, current.id), overrides, signal);
}

/** A provider context from explicit settings (a workspace being added or moved, checked before it is saved). */
export function connectWith(
  workspace: Pick<Workspace, 'id' | 'kind' | 'name' | 'baseUrl' | 'username'>,
  adminSecret: string | null,
  logins: LoginStore,
  overrides: ClientOverrides = {},
  signal?: AbortSignal,
): { provider: Provider; ctx: ProviderContext } {
  const provider = getProvider(workspace.kind);
  const { baseUrl, options } = splitWorkspaceUrl(workspace.baseUrl);
  const ctx = contextFor(provider, { id: workspace.id, name: workspace.name, baseUrl, username: workspace.username, adminSecret, options }, logins, overrides, signal);
  return { provider, ctx };
}

/** A login store that lives as long as one check (a verify before saving). */
export function memoryLoginStore(): LoginStore {
  let value: unknown = null;
  return { get: () => value, set: (v) => void (value = v ?? null) };
}
