import { useState, type FormEvent } from 'react';
import { useVault } from '../stores/vault-store';
import { ErrorNote } from '../components/error-note';

const LOCK_REASONS: Record<string, string> = {
  idle: 'Locked after a period of inactivity.',
  'screen-locked': 'Locked because the screen locked.',
  suspend: 'Locked because the computer went to sleep.',
  user: 'You locked the vault.',
};

type Way = 'keychain' | 'password';

/**
 * Unlocks the vault the way Settings says it does: with keychain unlock on, the system keychain first (one button, no
 * password), the master password as the fallback when the vault has one (asked for, or taken when the keychain fails).
 * It never unlocks by itself: a vault the user just locked stays locked until asked.
 */
export function LockScreen() {
  const { vault, busy, error, unlock, lockReason } = useVault();
  const why = lockReason ? LOCK_REASONS[lockReason] : undefined;
  const keychainFirst = (vault?.keychainUnlock ?? false) && (vault?.keychainAvailable ?? false);
  const hasPassword = vault?.passwordUnlock ?? false;
  const [way, setWay] = useState<Way>(keychainFirst || !hasPassword ? 'keychain' : 'password');
  const [password, setPassword] = useState('');
  const [keychainFailed, setKeychainFailed] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tried = way;
    setPassword('');
    await unlock(tried === 'password' ? password : undefined);
    // The keychain did not give the key (locked, gone, entry removed): the master password is the way in.
    if (tried === 'keychain' && hasPassword && useVault.getState().error) {
      setKeychainFailed(true);
      setWay('password');
    }
  };
  return (
    <main className="centered">
      <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="lock-title">
        <h1 id="lock-title">Token Vault is locked</h1>
        {why && <p role="status">{why}</p>}
        {way === 'password' ? (
          <>
            {keychainFailed && <p>The system keychain did not unlock the vault. Enter the master password instead.</p>}
            <label>
              Master password
              <input type="password" autoComplete="current-password" autoFocus required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          </>
        ) : (
          <p>Your system keychain holds the key to this vault.</p>
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy} autoFocus={way === 'keychain'}>
          {way === 'keychain' ? 'Unlock with the keychain' : 'Unlock'}
        </button>
        {keychainFirst && hasPassword && (
          <button type="button" className="link" onClick={() => setWay(way === 'keychain' ? 'password' : 'keychain')}>
            {way === 'keychain' ? 'Use the master password instead' : 'Use the system keychain instead'}
          </button>
        )}
      </form>
    </main>
  );
}
