import { create } from 'zustand';
import type { ReminderSummary } from '../../../shared/ipc/reminders-channels';
import type { AppError } from '../../../shared/result';
import { toAppError, unwrap } from './call';

/** Which main view the unlocked window shows: the token list, the Attention view, the Trash or Scan for tokens. */
export type MainView = 'tokens' | 'attention' | 'trash' | 'scan';

export interface RemindersState {
  /** Counts for the sidebar and the due list for the Attention view; works while locked. Never a name or a secret. */
  summary?: ReminderSummary;
  view: MainView;
  /** The "N tokens need attention" notice shown after unlock was dismissed (or followed) since that unlock. */
  noticeDismissed: boolean;
  /** A short confirmation ("Snoozed until ...") announced politely in the Attention view. */
  status: string;
  error?: AppError;
}

export interface RemindersActions {
  load(): Promise<void>;
  setView(view: MainView): void;
  dismissNotice(): void;
  /** `for`: 1d, 7d, 2w or a local date YYYY-MM-DD. */
  snooze(tokenId: string, spec: string, label: string): Promise<void>;
  markRotated(tokenId: string, label: string): Promise<void>;
  /** The vault locked: the next unlock shows its own notice. */
  reset(): void;
}

export const useReminders = create<RemindersState & RemindersActions>()((set) => {
  /** Runs a reminder change; the counts and the cards follow from main's `tokens:changed` (store-events.ts). */
  const change = async (action: () => Promise<unknown>, success: string) => {
    set({ error: undefined });
    try {
      await action();
      if (success) set({ status: success });
    } catch (e) {
      set({ error: toAppError(e), status: '' });
    }
  };
  return {
    view: 'tokens',
    noticeDismissed: false,
    status: '',
    load: async () => {
      const result = await window.tokenVault.reminders.getSummary();
      if (result.ok) set({ summary: result.value });
    },
    setView: (view) => set({ view, status: '', error: undefined }),
    dismissNotice: () => set({ noticeDismissed: true }),
    snooze: (tokenId, spec, label) =>
      change(async () => {
        const { snoozedUntil } = await unwrap(window.tokenVault.reminders.snoozeToken({ tokenId, for: spec }));
        set({ status: `${label} snoozed until ${new Date(snoozedUntil).toLocaleString()}.` });
      }, ''),
    markRotated: (tokenId, label) => change(() => unwrap(window.tokenVault.reminders.markRotated({ tokenId })), `${label} marked as rotated.`),
    reset: () => set({ view: 'tokens', noticeDismissed: false, status: '', error: undefined }),
  };
});
