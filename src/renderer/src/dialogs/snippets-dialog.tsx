import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { SNIPPET_KINDS, SNIPPET_LABELS, renderSnippet } from '../../../shared/token-snippets';
import { Modal } from '../components/modal';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';

const PLACEHOLDER = '<YOUR_TOKEN>';

/** Usage snippets with a placeholder on screen; "Copy" has main put the real secret in the clipboard. */
export function SnippetsDialog({ token, onClose }: { token: TokenDto; onClose(): void }) {
  const copySnippet = useTokens((s) => s.copySnippet);
  const baseUrl = useWorkspaces((s) => s.workspaces.find((w) => w.id === token.workspaceId)?.baseUrl ?? null);
  return (
    <Modal open wide onOpenChange={(open) => !open && onClose()} title={`Use "${token.name}"`} description="Copy puts the snippet with the real secret in the clipboard; it is cleared like a copied secret.">
      {SNIPPET_KINDS.map((kind) => (
        <section key={kind} className="snippet" aria-label={SNIPPET_LABELS[kind]}>
          <div className="row spread">
            <h3>{SNIPPET_LABELS[kind]}</h3>
            <button type="button" className="secondary" onClick={() => void copySnippet(token.id, kind)}>
              Copy {SNIPPET_LABELS[kind]}
            </button>
          </div>
          <pre>
            <code>{renderSnippet(kind, PLACEHOLDER, { tokenName: token.name, baseUrl })}</code>
          </pre>
        </section>
      ))}
      <div className="row">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
