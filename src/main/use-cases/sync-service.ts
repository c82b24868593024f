import type { SyncResultDto } from '../../shared/ipc/workspaces-channels';
import { isRevokedStatus } from '../../shared/token-status';
import { AppFailure, isAppFailure } from '../errors';
import { LIST_TOKEN_CAP } from '../providers/pagination';
import { createLogger } from '../log/redacting-logger';
import type { RemoteToken } from '../providers/provider-types';
import type { ClientOverrides } from '../providers/provider-registry';
import type { TokenBatch, TokenSummary, Vault, Workspace } from '../vault';
import { connectWorkspace } from './workspace-connection';

const log = createLogger('sync-service');

/** One workspace's sync: counts, or the error that stopped it (nothing changed then). */
export type SyncResult = SyncResultDto;

export interface SyncOptions {
  actor?: string;
  now?: () => Date;
  clientOverrides?: ClientOverrides;
  onProgress?: (result: SyncResult) => void;
}

/**
 * Lists the service's tokens and merges them by remote id. The service wins on status, expiry, last use and usage;
 * a token it no longer lists becomes `revoked-remote`. A sync never deletes a token or its stored secret.
 * The whole merge is ONE vault transaction, decided under the write lock (see vault.tokens.applyBatch): one commit
 * for 200 new tokens instead of 200, so the event loop stays free for the other workspaces' requests.
 */
export function mergeRemoteTokens(vault: Vault, workspace: Workspace, remote: RemoteToken[], remoteNames: boolean, actor: string): Omit<SyncResult, 'ok' | 'workspaceName'> {
  let counts = { added: 0, updated: 0, revokedRemote: 0 };
  vault.tokens.applyBatch(
    workspace.id,
    (local) => {
      const plan = planMerge(workspace.id, local, remote, remoteNames);
      counts = plan.counts;
      return plan.batch;
    },
    actor,
  );
  return { workspaceId: workspace.id, ...counts, total: remote.length };
}

/** What a merge changes, decided from the workspace's tokens as stored (pure). */
export function planMerge(
  workspaceId: string,
  local: TokenSummary[],
  remote: RemoteToken[],
  remoteNames: boolean,
): { batch: Required<TokenBatch>; counts: { added: number; updated: number; revokedRemote: number } } {
  const byRemoteId = new Map<string, TokenSummary>();
  for (const t of local) if (t.remoteId) byRemoteId.set(t.remoteId, t);
  const batch: Required<TokenBatch> = { insert: [], update: [] };
  const seen = new Set<string>();
  let updated = 0;
  for (const r of remote) {
    if (seen.has(r.remoteId)) continue; // a service listing one token twice (page overlap) must not insert it twice
    seen.add(r.remoteId);
    const current = byRemoteId.get(r.remoteId);
    if (!current) {
      batch.insert.push({ workspaceId, remoteId: r.remoteId, name: r.name, description: r.description, prefix: r.masked, type: r.type, scopes: r.scopes, status: r.status, createdAt: r.createdAt ?? undefined, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt, usageCount: r.usageCount });
      continue;
    }
    const patch = {
      status: r.status,
      expiresAt: r.expiresAt,
      lastUsedAt: r.lastUsedAt ?? current.lastUsedAt,
      usageCount: r.usageCount ?? current.usageCount,
      scopes: r.scopes.length ? r.scopes : current.scopes,
      ...(remoteNames && r.name !== current.name ? { name: r.name } : {}),
    };
    const changed =
      patch.status !== current.status ||
      patch.expiresAt !== current.expiresAt ||
      patch.lastUsedAt !== current.lastUsedAt ||
      patch.usageCount !== current.usageCount ||
      'name' in patch ||
      patch.scopes.join(',') !== current.scopes.join(',');
    if (changed) {
      batch.update.push({ id: current.id, patch });
      updated++;
    }
  }
  let revokedRemote = 0;
  for (const t of local) {
    if (!t.remoteId || seen.has(t.remoteId) || isRevokedStatus(t.status)) continue;
    batch.update.push({ id: t.id, patch: { status: 'revoked-remote' } });
    revokedRemote++;
  }
  return { batch, counts: { added: batch.insert.length, updated, revokedRemote } };
}

export async function syncWorkspace(vault: Vault, workspace: Workspace, options: SyncOptions = {}): Promise<SyncResult> {
  const actor = options.actor ?? 'sync';
  const now = options.now ?? (() => new Date());
  const { provider, ctx } = connectWorkspace(vault, workspace, options.clientOverrides);
  if (!provider.capabilities.list) {
    return { workspaceId: workspace.id, workspaceName: workspace.name, ok: true, added: 0, updated: 0, revokedRemote: 0, total: vault.tokens.list({ workspaceId: workspace.id }).length };
  }
  try {
    const listed = await provider.list(ctx);
    // Each listing is capped; several of them (GitLab projects and groups) together are capped here.
    if (listed.length > LIST_TOKEN_CAP)
      throw new AppFailure('unexpected-response', `${provider.label} listed more than ${LIST_TOKEN_CAP.toLocaleString('en-US')} tokens in all; Token Vault stopped this sync. Nothing was changed.`);
    // What the user deleted stays deleted while it is in the trash, though the service still lists it.
    const trashed = vault.trash.remoteIds(workspace.id);
    const remote = listed.filter((r) => !trashed.has(r.remoteId));
    const merged = mergeRemoteTokens(vault, workspace, remote, provider.capabilities.remoteNames, actor);
    vault.workspaces.update(workspace.id, { lastSyncAt: now().toISOString(), lastSyncError: null });
    vault.audit.append({ action: 'synced', workspaceId: workspace.id, actor });
    const result = { ...merged, workspaceName: workspace.name, ok: true };
    options.onProgress?.(result);
    return result;
  } catch (e) {
    const error = isAppFailure(e) ? { code: e.code, message: e.message } : { code: 'internal', message: 'Sync failed unexpectedly.' };
    if (!isAppFailure(e)) log.error('sync failed', { workspace: workspace.id, error: e });
    vault.workspaces.update(workspace.id, { lastSyncError: error });
    const result = { workspaceId: workspace.id, workspaceName: workspace.name, ok: false, added: 0, updated: 0, revokedRemote: 0, total: 0, error };
    options.onProgress?.(result);
    return result;
  }
}

/** Every workspace at once: each has its own rate-limit bucket, so they do not slow each other down. */
export async function syncWorkspaces(vault: Vault, workspaces: Workspace[], options: SyncOptions = {}): Promise<SyncResult[]> {
  return Promise.all(workspaces.map((w) => syncWorkspace(vault, w, options)));
}
