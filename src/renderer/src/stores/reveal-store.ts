import { create } from 'zustand';
import type { RotationReport } from '../../../shared/ipc/rotation-channels';
import type { AppError } from '../../../shared/result';
import { errorText } from '../lib/words';

/** One secret to show once: just issued (create, regenerate, rotate, resume) or handed back unsaved by an error. */
export interface Reveal {
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
  queue: Reveal[];
  /** Interrupted rotations resumed after unlock: what happened and what is left to do. */
  reports: RotationReport[];
}

export interface RevealActions {
  show(reveal: Reveal): void;
  /**
   * THE place an unsaved secret is shown: a secret the service issued but the vault could not store, handed back in
   * the error (`unsavedSecret`). Every call goes through `unwrap` (lib/call.ts), which brings it here.
   */
  showUnsaved(error: AppError): void;
  acknowledge(): void;
  setReports(reports: RotationReport[]): void;
  /** Locking drops every secret the window holds. */
  reset(): void;
}

export const useReveal = create<RevealState & RevealActions>()((set, get) => ({
  queue: [],
  reports: [],
  show: (reveal) => set((s) => ({ queue: [...s.queue, reveal] })),
  showUnsaved: (error) => {
    if (error.unsavedSecret === undefined) return;
    get().show({ title: 'Save this secret now', tokenName: '', secret: error.unsavedSecret, notes: [errorText(error)] });
  },
  acknowledge: () => set((s) => ({ queue: s.queue.slice(1) })),
  setReports: (reports) => set({ reports }),
  reset: () => set({ queue: [], reports: [] }),
}));
