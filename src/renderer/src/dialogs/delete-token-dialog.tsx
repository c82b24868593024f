import { useState } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { TRASH_KEEP_DAYS } from '../../../shared/trash';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { trashKeepsText } from '../lib/words';

/**
 * Moves a token to the trash. It only forgets the token here: a token the service issued and can revoke keeps
 * working there, and the dialog says so (and that Revoke ends it) before the user decides.
 */
export function DeleteTokenDialog({ token, serviceLabel, canRevoke, onDone, onClose }: { token: TokenDto; serviceLabel: string; canRevoke: boolean; onDone(): void; onClose(): void }) {
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const stillLive = token.providerKind !== 'manual' && (token.status === 'active' || token.status === 'inactive');
  const remove = async () => {
    setBusy(true);
    const r = await window.tokenVault.tokens.delete({ tokenId: token.id });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onDone();
  };
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Move "${token.name}" to the trash?`}
      description={`${token.hasSecret ? 'Its secret goes with it, still encrypted. ' : ''}${trashKeepsText(TRASH_KEEP_DAYS)}`}
    >
      {stillLive && (
        <p className="hint">
          It stays valid at {serviceLabel}: deleting only forgets it here.{canRevoke ? ' To end it there, cancel and choose Revoke first.' : ''}
        </p>
      )}
      <ErrorNote error={error} />
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
          Move to trash
        </button>
      </div>
    </Modal>
  );
}
