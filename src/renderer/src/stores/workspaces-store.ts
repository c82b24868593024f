import { create } from 'zustand';
import type { ProviderInfo, SyncResultDto, WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import type { AppError, Result } from '../../../shared/result';
import { toAppError, unwrap } from './call';

export interface WorkspacesState {
  workspaces: WorkspaceDto[];
  /** What each kind of service needs and can do (fields for the dialogs, which actions to offer). */
  providers: ProviderInfo[];
  /** Workspace ids whose sync is under way. */
  syncing: string[];
  /** The latest sync outcome per workspace id (ok or the error to act on). */
  syncResults: Record<string, SyncResultDto>;
  loadError?: AppError;
}

export interface WorkspacesActions {
  load(): Promise<void>;
  /** Syncs one workspace, or all of them; progress arrives per workspace through `syncProgress`. */
  sync(id?: string): Promise<void>;
  syncProgress(result: SyncResultDto): void;
  /** Sends the held credential to the address a shared change moved the workspace to (`origin`, as shown). */
  confirmCredential(id: string, origin: string | null): Promise<Result<WorkspaceDto>>;
  provider(kind: string): ProviderInfo | undefined;
  reset(): void;
}

export const useWorkspaces = create<WorkspacesState & WorkspacesActions>()((set, get) => ({
  workspaces: [],
  providers: [],
  syncing: [],
  syncResults: {},
  load: async () => {
    try {
      const [workspaces, providers] = await Promise.all([unwrap(window.tokenVault.workspaces.list()), get().providers.length ? get().providers : unwrap(window.tokenVault.providers.list())]);
      set({ workspaces, providers, loadError: undefined });
    } catch (e) {
      set({ loadError: toAppError(e) });
    }
  },
  sync: async (id) => {
    const targets = id ? [id] : get().workspaces.filter((w) => w.kind !== 'manual').map((w) => w.id);
    set((s) => ({ syncing: [...new Set([...s.syncing, ...targets])] }));
    const result = await window.tokenVault.workspaces.sync(id ? { id } : {});
    if (result.ok) for (const r of result.value) get().syncProgress(r);
    else {
      const error = result.error;
      set((s) => ({
        syncResults: { ...s.syncResults, ...Object.fromEntries(targets.map((t) => [t, { workspaceId: t, workspaceName: '', ok: false, added: 0, updated: 0, revokedRemote: 0, total: 0, error }])) },
      }));
    }
    set((s) => ({ syncing: s.syncing.filter((x) => !targets.includes(x)) }));
    // Last sync times and errors are the workspaces' own; the tokens and reminders follow from `tokens:changed`.
    await get().load();
  },
  syncProgress: (r) => set((s) => ({ syncResults: { ...s.syncResults, [r.workspaceId]: r }, syncing: s.syncing.filter((x) => x !== r.workspaceId) })),
  confirmCredential: async (id, origin) => {
    const r = await window.tokenVault.workspaces.confirmCredential({ id, origin });
    await get().load();
    return r;
  },
  provider: (kind) => get().providers.find((p) => p.kind === kind),
  reset: () => set({ workspaces: [], syncing: [], syncResults: {} }),
}));
