import { isAppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import type { RemoteToken } from '../providers/provider-types';
import type { ClientOverrides } from '../providers/provider-registry';
import type { TokenStatus, Vault, Workspace } from '../vault';
import { connectWorkspace } from './workspace-connection';

const log = createLogger('sync-service');

export interface SyncResult {
  workspaceId: string;
  workspaceName: string;
  ok: boolean;
  added: number;
  updated: number;
  /** Tokens that disappeared at the service: now `revoked-remote` ("revoked at the service"). */
  revokedRemote: number;
  total: number;
  error?: { code: string; message: string };
}

export interface SyncOptions {
  actor?: string;
  now?: () => Date;
  clientOverrides?: ClientOverrides;
  onProgress?: (result: SyncResult) => void;
}

const FINAL: TokenStatus[] = ['revoked', 'revoked-remote'];

/**
 * Lists the service's tokens and merges them by remote id. The service wins on status, expiry, last use and usage;
 * a token it no longer lists becomes `revoked-remote`. A sync never deletes a token or its stored secret.
 */
export function mergeRemoteTokens(vault: Vault, workspace: Workspace, remote: RemoteToken[], remoteNames: boolean, actor: string): Omit<SyncResult, 'ok' | 'workspaceName'> {
  let added = 0;
  let updated = 0;
  let revokedRemote = 0;
  const seen = new Set<string>();
  for (const r of remote) {
    seen.add(r.remoteId);
    const local = vault.findTokenByRemoteId(workspace.id, r.remoteId);
    if (!local) {
      vault.insertToken(
        { workspaceId: workspace.id, remoteId: r.remoteId, name: r.name, description: r.description, prefix: r.masked, type: r.type, scopes: r.scopes, status: r.status, createdAt: r.createdAt ?? undefined, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt, usageCount: r.usageCount },
        actor,
      );
      added++;
      continue;
    }
    const patch = {
      status: r.status as TokenStatus,
      expiresAt: r.expiresAt,
      lastUsedAt: r.lastUsedAt ?? local.lastUsedAt,
      usageCount: r.usageCount ?? local.usageCount,
      scopes: r.scopes.length ? r.scopes : local.scopes,
      ...(remoteNames && r.name !== local.name ? { name: r.name } : {}),
    };
    const changed =
      patch.status !== local.status ||
      patch.expiresAt !== local.expiresAt ||
      patch.lastUsedAt !== local.lastUsedAt ||
      patch.usageCount !== local.usageCount ||
      'name' in patch ||
      patch.scopes.join(',') !== local.scopes.join(',');
    if (changed) {
      vault.updateToken(local.id, patch, actor);
      updated++;
    }
  }
  for (const local of vault.listTokens({ workspaceId: workspace.id })) {
    if (!local.remoteId || seen.has(local.remoteId) || FINAL.includes(local.status)) continue;
    vault.updateToken(local.id, { status: 'revoked-remote' }, actor);
    revokedRemote++;
  }
  return { workspaceId: workspace.id, added, updated, revokedRemote, total: remote.length };
}

export async function syncWorkspace(vault: Vault, workspace: Workspace, options: SyncOptions = {}): Promise<SyncResult> {
  const actor = options.actor ?? 'sync';
  const now = options.now ?? (() => new Date());
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.capabilities.list) {
    return { workspaceId: workspace.id, workspaceName: workspace.name, ok: true, added: 0, updated: 0, revokedRemote: 0, total: vault.listTokens({ workspaceId: workspace.id }).length };
  }
  try {
    const remote = await provider.list(ctx);
    const merged = mergeRemoteTokens(vault, workspace, remote, provider.capabilities.remoteNames, actor);
    vault.updateWorkspace(workspace.id, { lastSyncAt: now().toISOString(), lastSyncError: null });
    vault.appendAudit({ action: 'synced', workspaceId: workspace.id, actor });
    const result = { ...merged, workspaceName: workspace.name, ok: true };
    options.onProgress?.(result);
    return result;
  } catch (e) {
    const error = isAppFailure(e) ? { code: e.code, message: e.message } : { code: 'internal', message: 'Sync failed unexpectedly.' };
    if (!isAppFailure(e)) log.error('sync failed', { workspace: workspace.id, error: e });
    vault.updateWorkspace(workspace.id, { lastSyncError: error });
    const result = { workspaceId: workspace.id, workspaceName: workspace.name, ok: false, added: 0, updated: 0, revokedRemote: 0, total: 0, error };
    options.onProgress?.(result);
    return result;
  }
}

/** Every workspace at once: each has its own rate-limit bucket, so they do not slow each other down. */
export async function syncWorkspaces(vault: Vault, workspaces: Workspace[], options: SyncOptions = {}): Promise<SyncResult[]> {
  return Promise.all(workspaces.map((w) => syncWorkspace(vault, w, options)));
}
