import { useOperations } from './operations-store';
import { useReminders } from './reminders-store';
import { useSharing } from './sharing-store';
import { useTokens } from './tokens-store';
import { useWorkspaces } from './workspaces-store';

/**
 * The stores listen to main, not to each other: after every change made through a request, main refreshes the
 * reminders and sends ONE `tokens:changed` (the changed rows, or "reload"); the token list patches those rows and the
 * reminder counts refetch. Returns the unsubscribe function.
 */
export function connectStoresToMain(): () => void {
  const offs = [
    window.tokenVault.tokens.onChanged((change) => {
      useTokens.getState().applyChange(change);
      void useReminders.getState().load();
    }),
    // A day passed or a threshold was crossed with nobody asking.
    window.tokenVault.reminders.onChanged(() => void useReminders.getState().load()),
    window.tokenVault.sync.onProgress((r) => useWorkspaces.getState().syncProgress(r)),
    window.tokenVault.clipboard.onCleared(() => useTokens.getState().clipboardCleared()),
    // What a remote call waits for (a service's Retry-After) and whether it can still be cancelled.
    window.tokenVault.operations.onChanged(({ operations }) => useOperations.getState().changed(operations)),
    // A share's sync started or ended. What it pulled into tokens arrives as `tokens:changed`; workspaces it brought
    // (a join, a workspace a member added) and its last sync or error are read again when it ends.
    window.tokenVault.share.onSyncState(({ syncing }) => {
      if (useSharing.getState().syncState(syncing)) void useWorkspaces.getState().load();
    }),
  ];
  return () => offs.forEach((off) => off());
}
