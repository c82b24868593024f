import { useState, type FormEvent } from 'react';
import { useSession } from '../stores/session-store';
import { ErrorNote } from '../components/error-note';

export function LockScreen() {
  const { vault, busy, error, unlock } = useSession();
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void unlock(vault?.passwordUnlock ? password : undefined);
    setPassword('');
  };
  return (
    <main className="centered">
      <form className="panel" onSubmit={submit} aria-labelledby="lock-title">
        <h1 id="lock-title">Token Vault is locked</h1>
        {vault?.passwordUnlock ? (
          <label>
            Master password
            <input type="password" autoComplete="current-password" autoFocus required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
        ) : (
          <p>Your system keychain holds the key to this vault.</p>
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Unlock
        </button>
      </form>
    </main>
  );
}
