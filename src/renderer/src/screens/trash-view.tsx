import { useCallback, useEffect, useState } from 'react';
import { TRASH_KEEP_DAYS, type TrashEntry } from '../../../shared/trash';
import type { AppError } from '../../../shared/result';
import { Modal } from '../components/modal';
import { ErrorNote } from '../components/error-note';
import { formatDateTime } from '../lib/format';
import { trashHoldsText } from '../lib/words';
import { useWorkspaces } from '../stores/workspaces-store';

const refOf = (e: TrashEntry) => (e.kind === 'token' ? `${e.workspaceName}/${e.name}` : e.name);

/**
 * Deleted tokens and workspaces, kept TRASH_KEEP_DAYS with their secrets still encrypted: restore one, or empty the
 * trash (only what the list showed when the user said yes).
 */
export function TrashView() {
  const [entries, setEntries] = useState<TrashEntry[] | null>(null);
  const [error, setError] = useState<AppError>();
  const [status, setStatus] = useState('');
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const loadWorkspaces = useWorkspaces((s) => s.load);

  const load = useCallback(async () => {
    const r = await window.tokenVault.trash.list();
    if (r.ok) setEntries(r.value);
    else setError(r.error);
  }, []);
  useEffect(() => void load(), [load]);

  const restore = async (e: TrashEntry) => {
    setError(undefined);
    const r = await window.tokenVault.trash.restore({ id: e.id });
    if (!r.ok) return setError(r.error);
    if (r.value.kind === 'workspace') void loadWorkspaces();
    setStatus(r.value.kind === 'token' ? `Restored ${r.value.workspaceName}/${r.value.name}.` : `Restored workspace ${r.value.name} with ${r.value.tokenCount} ${r.value.tokenCount === 1 ? 'token' : 'tokens'}.`);
    await load();
  };
  const empty = async () => {
    setConfirmEmpty(false);
    setError(undefined);
    const r = await window.tokenVault.trash.empty({ ids: (entries ?? []).map((e) => e.id) });
    if (!r.ok) return setError(r.error);
    setStatus(`Deleted ${r.value.purged} ${r.value.purged === 1 ? 'item' : 'items'} for good.`);
    await load();
  };
  const secrets = (entries ?? []).reduce((n, e) => n + e.secretCount, 0);

  return (
    <section className="trash-view" aria-labelledby="trash-title">
      <div className="trash-head">
        <h1 id="trash-title">Trash</h1>
        {entries && entries.length > 0 && (
          <button type="button" className="danger small" onClick={() => setConfirmEmpty(true)}>
            Empty trash…
          </button>
        )}
      </div>
      <p className="hint">Removed tokens and workspaces stay here for {TRASH_KEEP_DAYS} days, their secrets still encrypted, then they are deleted for good.</p>
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorNote error={error} />
      {entries?.length === 0 && <p>The trash is empty.</p>}
      {entries && entries.length > 0 && (
        <ul className="trash-list" aria-label="Items in the trash">
          {entries.map((e) => (
            <li key={e.id} className="trash-item">
              <div>
                <strong>{refOf(e)}</strong> <span className="hint">{e.kind === 'workspace' ? 'Workspace' : 'Token'} · {trashHoldsText(e)}</span>
                <div className="hint">
                  Deleted {formatDateTime(e.deletedAt)} · deleted for good {formatDateTime(e.purgeAt)}
                </div>
              </div>
              <button type="button" className="secondary small" onClick={() => void restore(e)} aria-label={`Restore ${refOf(e)}`}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirmEmpty && entries && (
        <Modal
          open
          onOpenChange={(open) => !open && setConfirmEmpty(false)}
          title="Empty the trash?"
          description={`${entries.length} ${entries.length === 1 ? 'item is' : 'items are'} deleted for good${secrets > 0 ? `, with ${secrets} ${secrets === 1 ? 'secret' : 'secrets'} no one can get back` : ''}. This cannot be undone.`}
        >
          <div className="row">
            <button type="button" className="secondary" onClick={() => setConfirmEmpty(false)}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void empty()}>
              Empty trash
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
