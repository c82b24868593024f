import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/result';
import { ReauthFields } from '../components/reauth-fields';
import { Modal } from '../components/modal';
import { useTokens } from '../stores/tokens-store';
import { useVault } from '../stores/vault-store';
import { reauthWindowWords } from '../lib/words';

/**
 * Main refused a copy because the last proof of identity is older than the re-auth setting: ask for the master
 * password (or, on a keychain-only vault, a confirmation), then copy. The password goes to main and no further.
 */
export function ReauthCopyDialog() {
  const pending = useTokens((s) => s.pendingCopy);
  // Zustand runs every selector on every change of the store (each keystroke in the search box): look the token up
  // only while a copy waits, instead of scanning 50,000 rows per keystroke for nothing.
  const tokenName = useTokens((s) => (s.pendingCopy ? s.tokens.find((t) => t.id === s.pendingCopy?.tokenId)?.name : undefined));
  const finishCopy = useTokens((s) => s.finishCopy);
  const cancelCopy = useTokens((s) => s.cancelCopy);
  const needsPassword = useVault((s) => s.vault?.passwordUnlock ?? true);
  const minutes = useVault((s) => s.settings?.reauthMinutes ?? 0);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  if (!pending) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failed = await finishCopy(needsPassword ? { password } : { confirm: true });
    setBusy(false);
    setPassword('');
    setError(failed);
  };
  const close = () => {
    setError(undefined);
    cancelCopy();
  };
  const what = pending.snippet ? 'snippet' : 'secret';
  return (
    <Modal open onOpenChange={(open) => !open && close()} title={`Copy the ${what} of "${tokenName ?? 'this token'}"`} description={reauthWindowWords(minutes, needsPassword)}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <ReauthFields
          needsPassword={needsPassword}
          password={password}
          onPassword={setPassword}
          purpose={`copy this ${what}`}
          error={error}
          busy={busy}
          submitLabel={needsPassword ? `Copy ${what}` : 'Yes, copy it'}
          onCancel={close}
        />
      </form>
    </Modal>
  );
}
