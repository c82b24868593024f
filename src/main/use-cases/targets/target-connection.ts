import { REMOTE_TARGET_SERVICE } from '../../../shared/deployment-targets';
import { AppFailure } from '../../errors';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { Vault, Workspace } from '../../vault';
import { connectWorkspace } from '../workspace-connection';
import type { TargetConnection, TargetDeps } from './target-ports';

const TARGET_SERVICES: ReadonlySet<string> = new Set(Object.values(REMOTE_TARGET_SERVICE));

/**
 * The connections remote targets are written through: each target workspace's address, admin credential and its one
 * HTTP client (its rate limit shared by every target of that workspace in this push). `connect` is the rotation's
 * and the tests' way of pointing a workspace elsewhere.
 */
export function vaultTargetDeps(
  vault: Vault,
  connect: (vault: Vault, workspace: Workspace) => { provider: Provider; ctx: ProviderContext } = connectWorkspace,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): TargetDeps {
  const made = new Map<string, TargetConnection>();
  return {
    connect: (workspaceId) => {
      const known = made.get(workspaceId);
      if (known) return known;
      const workspace = vault.workspaces.find(workspaceId);
      if (!workspace) throw new AppFailure('not-found', 'The workspace this target is written through is no longer in the vault; remove the target or add it again.');
      if (!TARGET_SERVICES.has(workspace.kind)) throw new AppFailure('invalid-argument', `The workspace "${workspace.name}" cannot hold deployment targets.`);
      const { ctx } = connect(vault, workspace);
      const conn = { workspace: ctx.workspace, http: ctx.http };
      made.set(workspaceId, conn);
      return conn;
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
}
