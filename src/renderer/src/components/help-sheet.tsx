import { Fragment } from 'react';
import { keyLabel, SHORTCUTS } from '../lib/shortcuts';
import { Modal } from './modal';

/** `?`: every shortcut of the window, from the one list the handler uses. */
export function HelpSheet({ onClose }: { onClose(): void }) {
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title="Keyboard shortcuts" description="In the list: arrow keys, Home/End and Page Up/Down move; Enter opens the token's details.">
      <dl className="shortcuts">
        {SHORTCUTS.map((s) => (
          <Fragment key={s.action}>
            <dt>
              {s.keys.map((keys, i) => (
                <Fragment key={keys.join('+')}>
                  {i > 0 && <span className="hint">or</span>}
                  <kbd>{keyLabel(keys)}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{s.what}</dd>
          </Fragment>
        ))}
      </dl>
      <div className="row">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
