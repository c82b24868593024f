import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { Modal } from '../components/modal';

export function ConfirmRegenerateDialog({ token, keepsExpiry, onConfirm, onClose }: { token: TokenDto; keepsExpiry: boolean; onConfirm(): void; onClose(): void }) {
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Regenerate "${token.name}"?`} description="The old secret stops working now. Anything still using it will fail until you deploy the new one.">
      {keepsExpiry && <p className="note">This service keeps the old expiry date when it regenerates. Create a new token for a new lifetime.</p>}
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Regenerate now
        </button>
      </div>
    </Modal>
  );
}
