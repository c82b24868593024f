import type { ProviderInfo, workspacesChannels } from '../../shared/ipc/workspaces-channels';
import { getProvider, listProviders, serviceName } from '../providers/provider-registry';
import { syncWorkspace } from '../use-cases/sync-service';
import { resolveWorkspace } from '../use-cases/token-lookup';
import { addWorkspace, updateWorkspace } from '../use-cases/workspace-service';
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
    'workspaces:remove': (input) => {
      vault().workspaces.remove(input.id, { withTokens: input.withTokens ?? false });
      return { removed: true as const };
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
