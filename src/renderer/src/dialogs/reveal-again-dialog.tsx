import { useEffect, useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ReauthFields } from '../components/reauth-fields';
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
  /** Null until main answered the first try (no password): then whether it wants one. */
  const [asking, setAsking] = useState<boolean | null>(null);

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

  const shown = (value: { secret: string; hideAfterSeconds: number }) => {
    setError(undefined);
    setSecret(value.secret);
    setSecondsLeft(value.hideAfterSeconds);
  };

  // The same rule as a copy: within the re-auth window main shows it at once; otherwise it asks (reauth-required).
  useEffect(() => {
    let live = true;
    void window.tokenVault.tokens.reveal({ tokenId: token.id }).then((result) => {
      if (!live) return;
      setAsking(!result.ok);
      if (result.ok) shown(result.value);
      else if (result.error.code !== 'reauth-required') setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [token.id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await window.tokenVault.tokens.reveal(needsPassword ? { tokenId: token.id, password } : { tokenId: token.id, confirm: true });
    setBusy(false);
    setPassword('');
    if (!result.ok) return setError(result.error);
    shown(result.value);
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
      ) : asking === null ? (
        <p role="status">Checking…</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="form">
          <ReauthFields
            needsPassword={needsPassword}
            password={password}
            onPassword={setPassword}
            purpose="show this secret on screen"
            error={error}
            busy={busy}
            submitLabel={needsPassword ? 'Reveal' : 'Yes, show it'}
            onCancel={close}
          />
        </form>
      )}
    </Modal>
  );
}
