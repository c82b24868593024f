import { useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { Modal } from '../components/modal';

/** Revoking cannot be undone, so the user types the token's name to confirm. */
export function RevokeDialog({ token, onConfirm, onClose }: { token: TokenDto; onConfirm(): void; onClose(): void }) {
  const [typed, setTyped] = useState('');
  const matches = typed === token.name;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (matches) onConfirm();
  };
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Revoke "${token.name}"?`} description="The service will refuse this token from now on. This cannot be undone.">
      <form className="form" onSubmit={submit}>
        <label>
          Type the token name to confirm
          <input type="text" data-autofocus value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </label>
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!matches}>
            Revoke token
          </button>
        </div>
      </form>
    </Modal>
  );
}
