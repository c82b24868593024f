import { useState, type FormEvent } from 'react';
import type { RotationOutcome } from '../../../shared/ipc/rotation-channels';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { ExternalLink } from '../components/external-link';
import { RenewExpiry, renewExpiresAt, type RenewChoice } from '../components/renew-expiry';
import { Modal } from '../components/modal';
import { toAppError, unwrap } from '../stores/call';
import { outcomeNotes } from '../lib/words';
import { useReveal } from '../stores/reveal-store';
import { useWorkspaces } from '../stores/workspaces-store';

const DAY = 86_400_000;

/** Shows what a finished rotation issued through the one-time reveal, with what the user must know or do next. */
export function revealRotation(outcome: RotationOutcome, tokenName: string): void {
  const show = useReveal.getState().show;
  if (outcome.kind === 'renewed') {
    show({ title: 'Your rotated token', tokenName, tokenId: outcome.tokenId, secret: outcome.secret, notes: outcomeNotes(outcome) });
  } else if (outcome.kind === 'awaiting-confirmation') {
    show({ title: 'Your new token', tokenName, tokenId: outcome.newTokenId, secret: outcome.secret, notes: outcomeNotes(outcome) });
  }
}

/**
 * Rotate now: says what will happen for this service (renewed in place, or create -> deploy -> confirm -> revoke, or
 * paste by hand), offers a new expiry where the service takes one, and hands the new secret to the one-time reveal.
 */
export function RotateDialog({ token, onClose }: { token: TokenDto; onClose(): void }) {
  const provider = useWorkspaces((s) => s.providers.find((p) => p.kind === token.providerKind));
  const workspace = useWorkspaces((s) => s.workspaces.find((w) => w.id === token.workspaceId));
  const caps = provider?.capabilities;
  const manual = token.providerKind === 'manual';
  const renews = !manual && caps !== undefined && caps.renew !== 'none';
  // A new token beside the old one takes an expiry of its own; a renew in place says what it does (RenewExpiry).
  const takesDate = !manual && !renews && caps?.expiry === 'date';
  const [days, setDays] = useState('');
  const [renewChoice, setRenewChoice] = useState<RenewChoice>('keep');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [paste, setPaste] = useState<{ url: string | null } | null>(null);
  const [secret, setSecret] = useState('');
  const label = provider?.label ?? token.providerKind;

  const finish = async (call: () => Promise<RotationOutcome>) => {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await call();
      if (outcome.kind === 'manual') setPaste({ url: outcome.tokenPageUrl ?? workspace?.tokenPageUrl ?? null });
      else {
        revealRotation(outcome, token.name);
        onClose();
      }
    } catch (e) {
      // An unsaved secret was already shown once by unwrap(); the tokens follow from main's `tokens:changed`.
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const rotate = () => {
    const expiresAt = renews ? renewExpiresAt(token, caps, renewChoice) : takesDate && days ? new Date(Date.now() + Number(days) * DAY).toISOString() : undefined;
    void finish(() => unwrap(window.tokenVault.rotation.rotateToken(expiresAt ? { tokenId: token.id, expiresAt } : { tokenId: token.id })));
  };
  const submitPaste = (event: FormEvent) => {
    event.preventDefault();
    const value = secret;
    setSecret('');
    void finish(() => unwrap(window.tokenVault.rotation.pasteSecret({ tokenId: token.id, secret: value })));
  };

  const how = manual
    ? 'This service has no admin API: create a new token on its page, then paste it here. The old one stays listed, labelled "replaced", until you confirm the new one is deployed.'
    : renews
      ? `${label} renews this token in place: the old secret stops working at once, and the new one is shown once.`
      : `${label} has no renew: Token Vault creates a new token beside the old one and shows it once. Deploy it, then choose "Confirm deployed": the old one is revoked then. Until then it stays listed, labelled "replaced".`;

  return (
    <Modal open onOpenChange={(open) => !open && !busy && onClose()} title={`Rotate "${token.name}"?`} description={how}>
      {paste ? (
        <form className="form" onSubmit={submitPaste}>
          <p className="plain">
            Create a new token on the service&apos;s page, then paste it here.{' '}
            {paste.url && (
              <ExternalLink url={paste.url} workspaceId={token.workspaceId}>
                Open the token page
              </ExternalLink>
            )}
          </p>
          <label>
            New secret
            <input type="password" required autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </label>
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={onClose}>
              Later
            </button>
            <button type="submit" disabled={busy}>
              Store new secret
            </button>
          </div>
        </form>
      ) : (
        <>
          {renews && <RenewExpiry token={token} caps={caps} label={label} choice={renewChoice} onChoice={setRenewChoice} />}
          {takesDate && (
            <label>
              New expiry
              <select value={days} onChange={(e) => setDays(e.target.value)}>
                <option value="">The service&apos;s default</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In a year</option>
              </select>
            </label>
          )}
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="button" className={renews ? 'danger' : undefined} onClick={rotate} disabled={busy}>
              {busy ? 'Rotating…' : 'Rotate now'}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
