import { useState, type FormEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ROTATE_EVERY_DAYS, type RotationBasis } from '../../../shared/rotation-policy';
import { toAppError } from '../stores/call';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';

/** Name, description, notes and rotation policy: what Token Vault keeps about a token beside the service's data. */
export function EditTokenDialog({ token, onSaved, onClose }: { token: TokenDto; onSaved(): void; onClose(): void }) {
  const [name, setName] = useState(token.name);
  const [description, setDescription] = useState(token.description ?? '');
  const [notes, setNotes] = useState(token.notes ?? '');
  const [rotateDays, setRotateDays] = useState(token.rotationPolicy ? String(token.rotationPolicy.rotateEveryDays) : '');
  const [basis, setBasis] = useState<RotationBasis>(token.rotationPolicy?.basis ?? 'last-rotation');
  const update = useTokens((s) => s.update);
  // A new expiry: in the vault alone for manual tokens, at the service where it can change one (Cloudflare).
  const caps = useWorkspaces((s) => s.providers.find((p) => p.kind === token.providerKind)?.capabilities);
  const expiryEditable = token.providerKind === 'manual' || caps?.editExpiry === true;
  const neverAllowed = token.providerKind === 'manual' || caps?.expiryRequired !== true;
  const [expiresOn, setExpiresOn] = useState(token.expiresAt ? token.expiresAt.slice(0, 10) : '');
  const [error, setError] = useState<AppError>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const days = rotateDays.trim() === '' ? null : Number(rotateDays);
    try {
      await update({
        tokenId: token.id,
        name,
        description: description || null,
        notes: notes || null,
        rotationPolicy: days === null ? null : { rotateEveryDays: days, basis },
        ...(expiryEditable && expiresOn !== (token.expiresAt?.slice(0, 10) ?? '') ? { expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59.999Z`).toISOString() : null } : {}),
      });
      onSaved();
    } catch (e) {
      setError(toAppError(e));
    }
  };
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Edit "${token.name}"`}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input type="text" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Description
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          Notes
          <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        {expiryEditable && (
          <div className="field">
            <label htmlFor="edit-expires-on">Expires on{neverAllowed ? ' (empty for never)' : ''}</label>
            <input id="edit-expires-on" type="date" required={!neverAllowed} value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} aria-describedby="edit-expires-help" />
            <p id="edit-expires-help" className="hint">
              {token.providerKind === 'manual' ? 'Token Vault only records it: change it on the service too.' : 'The service changes the token\'s expiry.'}
            </p>
          </div>
        )}
        <label>
          Rotate every (days, empty for none)
          <input type="number" min={ROTATE_EVERY_DAYS.min} max={ROTATE_EVERY_DAYS.max} value={rotateDays} onChange={(e) => setRotateDays(e.target.value)} />
        </label>
        <div className="field">
          <label htmlFor="edit-rotation-basis">Count rotation from</label>
          <select id="edit-rotation-basis" value={basis} onChange={(e) => setBasis(e.target.value as RotationBasis)}>
            <option value="last-rotation">The last rotation</option>
            <option value="issue">The day it was issued</option>
          </select>
        </div>
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit">Save</button>
        </div>
      </form>
    </Modal>
  );
}
