import type { IssuedSecretDto } from '../../shared/ipc/tokens-channels';
import type { ProviderInfo, WorkspaceDto } from '../../shared/ipc/workspaces-channels';
import { listProviders } from '../providers/provider-registry';
import type { Workspace } from '../vault';
import type { Handlers, HandlersFor } from './handlers';
import type { ServiceContext } from './handler-context';
import { syncWorkspace } from '../use-cases/sync-service';
import { toTokenDto } from './token-dto';
import { createToken, regenerateToken, revokeToken, setTokenActive, type IssuedSecret } from '../use-cases/token-operations';
import { addWorkspace, resolveWorkspace } from '../use-cases/workspace-service';
import { assertSafeUrl } from '../providers/http/http-client';
import { splitWorkspaceUrl } from '../use-cases/workspace-connection';

/** Never the admin credential or the session: only whether one is stored. */
export const toWorkspaceDto = (w: Workspace): WorkspaceDto => ({
  id: w.id,
  kind: w.kind,
  name: w.name,
  baseUrl: w.baseUrl,
  username: w.username,
  tokenPageUrl: w.tokenPageUrl,
  hasAdminCredential: w.hasAdminCredential,
  lastSyncAt: w.lastSyncAt,
  lastSyncError: w.lastSyncError,
});


const toIssued = (i: IssuedSecret): IssuedSecretDto => ({ token: toTokenDto(i.token), secret: i.secret, notice: i.notice });

type TokenOperationChannel = 'tokens:create' | 'tokens:regenerate' | 'tokens:revoke' | 'tokens:set-active';

/** Workspaces, sync, provider capabilities and token operations at the services. */
export function createWorkspaceHandlers(ctx: ServiceContext): HandlersFor<'workspaces'> & HandlersFor<'providers'> & Pick<Handlers, TokenOperationChannel> {
  const vault = () => ctx.session.requireUnlocked();
  return {
    'workspaces:list': () => vault().listWorkspaces().map(toWorkspaceDto),
    'workspaces:add': async (input) => toWorkspaceDto((await addWorkspace(vault(), input)).workspace),
    'workspaces:update': (input) => {
      const v = vault();
      const { id, adminSecret, ...rest } = input;
      if (rest.baseUrl) assertSafeUrl(splitWorkspaceUrl(rest.baseUrl).baseUrl);
      const updated = v.updateWorkspace(id, { ...rest, ...(adminSecret !== undefined ? { adminCredential: adminSecret } : {}) });
      // New credentials: the old login session belongs to the old ones.
      if (adminSecret !== undefined || rest.username !== undefined || rest.baseUrl !== undefined) v.setProviderSession(id, null);
      return toWorkspaceDto(updated);
    },
    'workspaces:remove': (input) => {
      vault().removeWorkspace(input.id, { withTokens: input.withTokens ?? false });
      return { removed: true as const };
    },
    'workspaces:sync': async (input) => {
      const v = vault();
      const targets = input.id ? [resolveWorkspace(v, input.id)] : v.listWorkspaces();
      return Promise.all(targets.map((w) => syncWorkspace(v, w, { actor: 'app', onProgress: (r) => ctx.emit('sync:progress', r) })));
    },
    'providers:list': (): ProviderInfo[] => listProviders().map((p) => ({ kind: p.kind, label: p.label, capabilities: p.capabilities, fields: p.fields })),
    'tokens:create': async (input) => {
      const { workspaceId, ...rest } = input;
      return toIssued(await createToken(vault(), workspaceId, rest));
    },
    'tokens:regenerate': async (input) => toIssued(await regenerateToken(vault(), input.tokenId, input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {})),
    'tokens:revoke': async (input) => toTokenDto(await revokeToken(vault(), input.tokenId)),
    'tokens:set-active': async (input) => toTokenDto(await setTokenActive(vault(), input.tokenId, input.active)),
  };
}
