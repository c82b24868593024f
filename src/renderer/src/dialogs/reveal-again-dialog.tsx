import { useEffect, useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useVault } from '../stores/vault-store';

/**
 * Reveal a stored secret again: re-authenticate (master password, or an explicit confirmation on keychain-only
 * vaults). The secret lives in this component's state only and is hidden again after the time main gives.
 */
export function RevealAgainDialog({ token, onClose }: { token: TokenDto; onClose(): void }) {
  const needsPassword = useVault((s) => s.vault?.passwordUnlock ?? true);
  const [password, setPassword] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (secret === null) return;
    const timer = setInterval(() => {
      setSecondsLeft((s) => {
        if (s <= 1) {
          setSecret(null);
          return 0;
        }
        return s - 1;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [secret]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await window.tokenVault.tokens.reveal(needsPassword ? { tokenId: token.id, password } : { tokenId: token.id, confirm: true });
    setBusy(false);
    setPassword('');
    if (!result.ok) return setError(result.error);
    setError(undefined);
    setSecret(result.value.secret);
    setSecondsLeft(result.value.hideAfterSeconds);
  };

  const close = () => {
    setSecret(null);
    onClose();
  };

  return (
    <Modal open onOpenChange={(open) => !open && close()} title={`Reveal "${token.name}"`} description="Showing a secret is recorded in the audit log.">
      {secret !== null ? (
        <>
          <label>
            Secret
            <input type="text" readOnly className="secret" value={secret} />
          </label>
          <p role="timer" aria-live="off">
            Hidden again in {secondsLeft} s
          </p>
          <div className="row">
            <button type="button" className="secondary" onClick={() => setSecret(null)}>
              Hide now
            </button>
            <button type="button" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="form">
          {needsPassword ? (
            <label>
              Master password
              <input type="password" autoComplete="current-password" required data-autofocus value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          ) : (
            <p>Your vault opens with the system keychain. Confirm that you want to show this secret on screen.</p>
          )}
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
            <button type="submit" disabled={busy}>
              {needsPassword ? 'Reveal' : 'Yes, show it'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
