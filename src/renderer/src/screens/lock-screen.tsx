import { useState, type FormEvent } from 'react';
import { useVault } from '../stores/vault-store';
import { ErrorNote } from '../components/error-note';

const LOCK_REASONS: Record<string, string> = {
  idle: 'Locked after a period of inactivity.',
  'screen-locked': 'Locked because the screen locked.',
  suspend: 'Locked because the computer went to sleep.',
  user: 'You locked the vault.',
};

export function LockScreen() {
  const { vault, busy, error, unlock, lockReason } = useVault();
  const why = lockReason ? LOCK_REASONS[lockReason] : undefined;
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
        {why && <p role="status">{why}</p>}
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
