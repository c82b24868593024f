import { useState } from 'react';
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
  const [copied, setCopied] = useState(false);
  if (!current) return null;
  const copy = async () => {
    // Main copies a stored secret (and clears the clipboard later); an unsaved one can only go through the page.
    if (current.tokenId) await copySecret(current.tokenId);
    else await navigator.clipboard?.writeText(current.secret).catch(() => undefined);
    setCopied(true);
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
        <input type="text" readOnly className="secret" value={current.secret} onFocus={(e) => e.currentTarget.select()} />
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
      <div className="row">
        <button type="button" className="secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button
          type="button"
          onClick={() => {
            setCopied(false);
            acknowledge();
          }}
        >
          I have saved it
        </button>
      </div>
    </Modal>
  );
}
