import type { ProviderInfo, workspacesChannels } from '../../shared/ipc/workspaces-channels';
import { AppFailure } from '../errors';
import { getProvider, listProviders, serviceName } from '../providers/provider-registry';
import { syncWorkspace } from '../use-cases/sync-service';
import { resolveWorkspace } from '../use-cases/token-lookup';
import { addWorkspace, confirmMovedCredential, updateWorkspace } from '../use-cases/workspace-service';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';
import { toWorkspaceDto } from './token-dto';

/** workspaces:* and providers:list — workspaces, sync, and what each provider can do. */
export function createWorkspacesHandlers({ session, emit, operations }: Pick<HandlerContext, 'session' | 'emit' | 'operations'>): HandlersOf<typeof workspacesChannels> {
  const vault = () => session.requireUnlocked();
  return {
    'workspaces:list': () => vault().workspaces.list().map(toWorkspaceDto),
    'workspaces:add': async (input) => {
      const v = vault();
      const added = await operations.run({ workspaceId: null, service: serviceName(getProvider(input.kind)), kind: 'connect' }, (overrides) => addWorkspace(v, input, overrides));
      return toWorkspaceDto(added.workspace);
    },
    'workspaces:update': async ({ id, ...input }) => toWorkspaceDto(await updateWorkspace(vault(), id, input)),
    'workspaces:confirm-credential': async ({ id, origin }) => {
      const v = vault();
      const ws = resolveWorkspace(v, id);
      return toWorkspaceDto(await operations.run({ workspaceId: ws.id, service: serviceName(getProvider(ws.kind)), kind: 'connect' }, (overrides) => confirmMovedCredential(v, ws.id, origin, overrides)));
    },
    // Into the trash, with its tokens and credential (restorable for TRASH_KEEP_DAYS): never forgotten in one click.
    'workspaces:remove': (input) => {
      const v = vault();
      if (!input.withTokens && v.tokens.list({ workspaceId: input.id }).length > 0)
        throw new AppFailure('invalid-argument', 'The workspace still holds tokens. Remove them first, or remove the workspace with them.');
      return { removed: true as const, trashId: v.trash.trashWorkspace(input.id).id };
    },
    'workspaces:sync': async (input) => {
      const v = vault();
      const targets = input.id ? [resolveWorkspace(v, input.id)] : v.workspaces.list();
      return Promise.all(
        targets.map((w) => operations.forWorkspace(v, w.id, 'sync', (clientOverrides) => syncWorkspace(v, w, { actor: 'app', clientOverrides, onProgress: (r) => emit('sync:progress', r) }))),
      );
    },
    'providers:list': (): ProviderInfo[] => listProviders().map((p) => ({ kind: p.kind, label: p.label, capabilities: p.capabilities, fields: p.fields })),
  };
}
