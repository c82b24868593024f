import { useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { OperationStatus } from '../components/operation-status';
import { Modal } from '../components/modal';
import { toAppError, unwrap } from '../stores/call';
import { confirmMessage } from '../lib/words';
import { useTokens } from '../stores/tokens-store';

/**
 * The last step of a create -> deploy -> confirm rotation: the new token is deployed, so the old one (this token) is
 * revoked now, or after a grace period for whatever still uses it.
 */
export function ConfirmDeployedDialog({ token, onClose }: { token: TokenDto; onClose(): void }) {
  const [grace, setGrace] = useState(false);
  const [days, setDays] = useState('2');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const outcome = await unwrap(window.tokenVault.rotation.confirmDeployed(grace ? { tokenId: token.id, graceDays: Number(days) } : { tokenId: token.id }));
      useTokens.setState({ status: confirmMessage(outcome) });
      onClose();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open onOpenChange={(open) => !open && !busy && onClose()} title={`Confirm the new token is deployed`} description={`Token Vault then revokes the old token "${token.name}" at the service.`}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>When to revoke the old token</legend>
          <label className="check">
            <input type="radio" name="when" checked={!grace} onChange={() => setGrace(false)} />
            Revoke it now
          </label>
          <label className="check">
            <input type="radio" name="when" checked={grace} onChange={() => setGrace(true)} />
            Keep it working for a grace period
          </label>
          {grace && (
            <label>
              Grace period (days)
              <input type="number" min={1} max={365} required value={days} onChange={(e) => setDays(e.target.value)} />
            </label>
          )}
        </fieldset>
        <ErrorNote error={error} />
        {busy && <OperationStatus matches={(op) => op.workspaceId === token.workspaceId && op.kind === 'rotate'} />}
        <div className="row">
          <button type="button" className="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {grace ? 'Confirm and revoke later' : 'Confirm and revoke now'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
