import { useEffect } from 'react';
import { RevealDialog } from './dialogs/reveal-dialog';
import { RotationReportsDialog } from './dialogs/rotation-reports-dialog';
import { LockScreen } from './screens/lock-screen';
import { SetupScreen } from './screens/setup-screen';
import { VaultScreen } from './screens/vault-screen';
import { useReminders } from './stores/reminders-store';
import { useSharing } from './stores/sharing-store';
import { reportMessage } from './lib/words';
import { useReveal } from './stores/reveal-store';
import { useTokens } from './stores/tokens-store';
import { useVault } from './stores/vault-store';
import { useWorkspaces } from './stores/workspaces-store';

/** Locking drops everything token-related the window holds; nothing of it was ever persisted. */
const forgetEverything = () => {
  useTokens.getState().reset();
  useWorkspaces.getState().reset();
  useReveal.getState().reset();
  useReminders.getState().reset();
  useSharing.getState().reset();
};

/**
 * After each unlock: finish interrupted rotations, show any secret they issued once, and say what is left. The
 * tokens they changed reach the list through main's `tokens:changed`.
 */
async function resumeRotations(): Promise<void> {
  const result = await window.tokenVault.rotation.resumeAll();
  if (!result.ok || result.value.length === 0) return;
  const reveal = useReveal.getState();
  for (const r of result.value) {
    if (r.secret) reveal.show({ title: 'A resumed rotation issued a new token', tokenName: '', ...(r.newTokenId ? { tokenId: r.newTokenId } : {}), secret: r.secret, notes: [reportMessage(r)] });
  }
  reveal.setReports(result.value.map(({ secret: _secret, ...rest }) => rest));
}

export function App() {
  const { vault, refresh, lockedByMain } = useVault();
  const unlocked = vault?.unlocked ?? false;
  useEffect(() => {
    void refresh();
    return window.tokenVault.vault.onLocked(({ reason }) => {
      forgetEverything();
      lockedByMain(reason);
    });
  }, [refresh, lockedByMain]);

  useEffect(() => {
    if (unlocked) void resumeRotations();
    else forgetEverything();
  }, [unlocked]);

  if (!vault) return <main className="centered" aria-busy="true" />;
  if (!vault.exists) return <SetupScreen />;
  if (!vault.unlocked) return <LockScreen />;
  return (
    <>
      <VaultScreen />
      <RevealDialog />
      <RotationReportsDialog />
    </>
  );
}
