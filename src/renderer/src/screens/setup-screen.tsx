import { useState, type FormEvent } from 'react';
import { useVault } from '../stores/vault-store';
import { ErrorNote } from '../components/error-note';
import { PasswordStrength } from '../components/password-strength';

/** First run: create the vault, unlocked by the OS keychain where one answers, by a master password otherwise. */
export function SetupScreen() {
  const { vault, busy, error, createVault } = useVault();
  const keychain = vault?.keychainAvailable ?? false;
  const [usePassword, setUsePassword] = useState(!keychain);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = usePassword && repeat.length > 0 && password !== repeat;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    void createVault({ useKeychain: keychain, ...(usePassword ? { password } : {}) });
    setPassword('');
    setRepeat('');
  };

  return (
    <main className="centered">
      <form className="panel" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up your vault</h1>
        <p>
          Token Vault keeps every token encrypted on this computer.{' '}
          {keychain
            ? 'The key is kept in your system keychain, so the vault opens when you are signed in.'
            : 'No system keychain answered on this computer, so the vault is protected by a master password.'}
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={usePassword}
            disabled={!keychain}
            onChange={(e) => setUsePassword(e.target.checked)}
          />
          Use a master password
        </label>
        {usePassword && (
          <>
            <label>
              Master password
              <input type="password" autoComplete="new-password" minLength={8} required value={password} aria-describedby="setup-strength" onChange={(e) => setPassword(e.target.value)} />
            </label>
            <PasswordStrength password={password} id="setup-strength" />
            <label>
              Repeat master password
              <input type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} />
            </label>
            {mismatch && <p role="alert" className="error">The two passwords differ.</p>}
          </>
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || mismatch}>
          Create vault
        </button>
      </form>
    </main>
  );
}
