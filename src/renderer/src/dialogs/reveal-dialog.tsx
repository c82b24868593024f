import { useState } from 'react';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useReveal } from '../stores/reveal-store';
import { useTokens } from '../stores/tokens-store';

/**
 * The one-time reveal after create, regenerate or rotate. It shows the full secret once and closes only through its
 * acknowledge button; the secret leaves the store at that moment.
 */
export function RevealDialog() {
  const current = useReveal((s) => s.queue[0]);
  const acknowledge = useReveal((s) => s.acknowledge);
  const copySecret = useTokens((s) => s.copySecret);
  const copyUnsavedSecret = useTokens((s) => s.copyUnsavedSecret);
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<AppError>();
  if (!current) return null;
  // Main does every copy (the page has no clipboard permission) and clears the clipboard later. "Copied" only
  // when it worked: on the error path this dialog may hold the only copy of the secret.
  const copy = async () => {
    const failure = current.tokenId ? await copySecret(current.tokenId) : await copyUnsavedSecret(current.secret);
    setCopied(!failure);
    setCopyError(failure);
  };
  return (
    <Modal
      open
      dismissible={false}
      onOpenChange={() => undefined}
      title={current.title}
      description={current.tokenName ? `Copy the secret of "${current.tokenName}" now.` : 'Copy the new secret now.'}
    >
      <label>
        Secret
        {/* Not selected on focus: on Linux a selection is also the middle-click buffer, which outlives the dialog. */}
        <input type="text" readOnly className="secret" value={current.secret} spellCheck={false} autoComplete="off" />
      </label>
      <p className="plain">
        The service will not show this secret again. Token Vault keeps an encrypted copy in your vault, so you can copy
        it from here later.
      </p>
      {current.notes.map((note) => (
        <p key={note} className="note">
          {note}
        </p>
      ))}
      <ErrorNote error={copyError} />
      <div className="row">
        <button type="button" className="secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button
          type="button"
          onClick={() => {
            setCopied(false);
            setCopyError(undefined);
            acknowledge();
          }}
        >
          I have saved it
        </button>
      </div>
    </Modal>
  );
}
