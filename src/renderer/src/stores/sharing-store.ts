import { create } from 'zustand';
import type { ShareStatus, SharingOverview } from '../../../shared/ipc/share-channels';
import type { AppError } from '../../../shared/result';

export interface SharingState {
  /** Shares, members and which workspace is in which share, as of the last read (undefined: not read yet). */
  overview?: SharingOverview;
  /** Teams whose sync runs now (from `share:sync-state`). */
  syncing: string[];
  /** Why the overview could not be read (shown by the Sharing pane; the sidebar just shows no marks). */
  loadError?: AppError;
}

export interface SharingActions {
  /** Reads the overview again (after a sync ended, after the pane changed something, at unlock). */
  load(): Promise<void>;
  /** Returns whether a sync ended (its outcome may have brought workspaces: the caller reloads them). */
  syncState(syncing: string[]): boolean;
  /** The share a workspace belongs to and that share's status, or null when it is not shared. */
  shareOf(workspaceId: string): { team: string; status: ShareStatus | undefined; busy: boolean } | null;
  reset(): void;
}

/**
 * Sharing as the sidebar and the Sharing pane see it: one overview read for both, so a workspace's mark, its last
 * sync, "syncing" and its error are the pane's own facts.
 */
export const useSharing = create<SharingState & SharingActions>()((set, get) => ({
  syncing: [],
  load: async () => {
    const r = await window.tokenVault.share.getOverview();
    if (r.ok) set({ overview: r.value, loadError: undefined });
    else set({ loadError: r.error });
  },
  syncState: (syncing) => {
    const ended = get().syncing.some((t) => !syncing.includes(t));
    set({ syncing });
    // A sync that ended changed the last sync time or error (and maybe the shares): read them again.
    if (ended) void get().load();
    return ended;
  },
  shareOf: (workspaceId) => {
    const { overview, syncing } = get();
    const team = overview?.sharedWorkspaces[workspaceId];
    if (team === undefined) return null;
    return { team, status: overview?.shares.find((s) => s.team === team), busy: syncing.includes(team) };
  },
  reset: () => set({ overview: undefined, syncing: [], loadError: undefined }),
}));
