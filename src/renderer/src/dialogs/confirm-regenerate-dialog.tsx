import { useState } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { ProviderCapabilities } from '../../../shared/provider-capabilities';
import { Modal } from '../components/modal';
import { RenewExpiry, renewExpiresAt, type RenewChoice } from '../components/renew-expiry';

/** Regenerate in place: says what happens to the old secret and to the expiry before it happens. */
export function ConfirmRegenerateDialog({ token, caps, label, onConfirm, onClose }: { token: TokenDto; caps: ProviderCapabilities | undefined; label: string; onConfirm(expiresAt: string | undefined): void; onClose(): void }) {
  const [choice, setChoice] = useState<RenewChoice>('keep');
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Regenerate "${token.name}"?`} description="The old secret stops working now. Anything still using it will fail until you deploy the new one.">
      <RenewExpiry token={token} caps={caps} label={label} choice={choice} onChoice={setChoice} />
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onConfirm(renewExpiresAt(token, caps, choice))}>
          Regenerate now
        </button>
      </div>
    </Modal>
  );
}
