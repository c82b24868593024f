import { create } from 'zustand';
import type { ReminderSummary } from '../../../shared/ipc/reminders-channels';

export interface RemindersState {
  /** Counts for the sidebar and the Attention filter; works while locked. */
  summary?: ReminderSummary;
}

export interface RemindersActions {
  load(): Promise<void>;
}

export const useReminders = create<RemindersState & RemindersActions>()((set) => ({
  load: async () => {
    const result = await window.tokenVault.reminders.getSummary();
    if (result.ok) set({ summary: result.value });
  },
}));
