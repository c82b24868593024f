import { create } from 'zustand';
import type { RotationReport } from '../../../shared/ipc/rotation-channels';

/** The one-time reveal after create / regenerate / rotate (or an unsaved secret handed back by an error). */
export interface IssuedReveal {
  title: string;
  tokenName: string;
  /** The stored token, so main does the copy (and clears the clipboard); absent when storing failed. */
  tokenId?: string;
  /** The plaintext: the only secret any store holds, dropped as soon as the user acknowledges. */
  secret: string;
  /** Something the user must know (Strapi kept the old expiry, deploy then confirm...). */
  notes: string[];
}

export interface RevealState {
  /** Shown first-in, first-out; each closes only when acknowledged. */
  queue: IssuedReveal[];
  /** Interrupted rotations resumed after unlock: what happened and what is left to do. */
  reports: RotationReport[];
}

export interface RevealActions {
  show(reveal: IssuedReveal): void;
  acknowledge(): void;
  setReports(reports: RotationReport[]): void;
  /** Locking drops every secret the window holds. */
  reset(): void;
}

export const useReveal = create<RevealState & RevealActions>()((set) => ({
  queue: [],
  reports: [],
  show: (reveal) => set((s) => ({ queue: [...s.queue, reveal] })),
  acknowledge: () => set((s) => ({ queue: s.queue.slice(1) })),
  setReports: (reports) => set({ reports }),
  reset: () => set({ queue: [], reports: [] }),
}));
