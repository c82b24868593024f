import { useEffect } from 'react';
import { useSession } from './stores/session-store';
import { LockScreen } from './screens/lock-screen';
import { SetupScreen } from './screens/setup-screen';

export function App() {
  const { vault, refresh, lockedByMain, lock } = useSession();
  useEffect(() => {
    void refresh();
    return window.tokenVault.vault.onLocked(() => lockedByMain());
  }, [refresh, lockedByMain]);

  if (!vault) return <main className="centered" aria-busy="true" />;
  if (!vault.exists) return <SetupScreen />;
  if (!vault.unlocked) return <LockScreen />;
  return (
    <main className="centered">
      <section className="panel">
        <h1>Vault unlocked</h1>
        <button type="button" onClick={() => void lock()}>
          Lock
        </button>
      </section>
    </main>
  );
}
