import { useEffect, useMemo, useState } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import { ErrorNote } from '../components/error-note';
import { Sidebar } from '../components/sidebar';
import { TokenDetails } from './token-details';
import { TokenList } from '../components/token-list';
import { CreateTokenDialog } from '../dialogs/create-token-dialog';
import { SettingsDialog } from '../dialogs/settings-dialog';
import { AttentionView } from './attention-view';
import { RemoveWorkspaceDialog, WorkspaceDialog } from '../dialogs/workspace-dialog';
import { filterTokens, sortTokens, STATUS_LABELS, type SortKey, type StatusFilter } from '../lib/token-query';
import { TOKEN_STATUSES } from '../../../shared/token-status';
import { useReminders } from '../stores/reminders-store';
import { connectStoresToMain } from '../stores/store-events';
import { useVault } from '../stores/vault-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';

type Dialog = { kind: 'create' } | { kind: 'add-ws' } | { kind: 'edit-ws'; ws: WorkspaceDto } | { kind: 'remove-ws'; ws: WorkspaceDto } | { kind: 'settings' } | null;

/** The unlocked app: workspaces on the left, the find bar and the virtualized token list, the selected token's details. */
export function VaultScreen() {
  const { tokens, index, query, setQuery, selectedId, select, loading, loadError, status } = useTokens();
  const { workspaces, providers, load: loadWorkspaces } = useWorkspaces();
  const loadTokens = useTokens((s) => s.load);
  const loadReminders = useReminders((s) => s.load);
  const { view, setView, summary, noticeDismissed, dismissNotice } = useReminders();
  const attention = summary?.counts.total ?? 0;
  const lock = useVault((s) => s.lock);
  const loadSettings = useVault((s) => s.loadSettings);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void loadTokens();
    void loadWorkspaces();
    void loadReminders();
    void loadSettings();
    // Relative times and "expired" move on by themselves.
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    const disconnect = connectStoresToMain();
    return () => {
      clearInterval(timer);
      disconnect();
    };
  }, [loadTokens, loadWorkspaces, loadReminders, loadSettings]);

  // The sort is the expensive part: redo it only when the list or the key changes, never per keystroke.
  const sorted = useMemo(() => sortTokens(index, query.sort), [index, query.sort]);
  // Filtering is one substring test per token over precomputed text and numbers: synchronous, inside a frame.
  const visible = useMemo(() => filterTokens(index, sorted, query, now), [index, sorted, query, now]);
  const selected = tokens.find((t) => t.id === selectedId) ?? null;
  const providerLabel = useMemo(() => {
    const labels = new Map(providers.map((p) => [p.kind as string, p.label]));
    return (kind: string) => labels.get(kind) ?? kind;
  }, [providers]);
  const focusDetails = (id: string) => {
    select(id);
    requestAnimationFrame(() => document.getElementById('details-title')?.focus());
  };
  const filtered = query.text !== '' || query.status !== 'all' || query.expiringWithinDays !== null || query.rotationDue || query.workspaceId !== null;

  return (
    <div className="shell">
      <Sidebar
        onAddWorkspace={() => setDialog({ kind: 'add-ws' })}
        onEditWorkspace={(ws) => setDialog({ kind: 'edit-ws', ws })}
        onRemoveWorkspace={(ws) => setDialog({ kind: 'remove-ws', ws })}
        onSettings={() => setDialog({ kind: 'settings' })}
        onLock={() => void lock()}
      />
      <main className="content">
        {view === 'attention' ? (
          <AttentionView />
        ) : (
          <>
            {attention > 0 && !noticeDismissed && (
              <div className="notice" role="region" aria-label="Unlock summary">
                <p>
                  {attention === 1 ? '1 token needs attention' : `${attention} tokens need attention`}
                  {summary ? `: ${[summary.counts.expired && `${summary.counts.expired} expired`, summary.counts.expiring && `${summary.counts.expiring} expiring soon`, summary.counts.rotationDue && `${summary.counts.rotationDue} due for rotation`].filter(Boolean).join(', ')}.` : '.'}
                </p>
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    dismissNotice();
                    setView('attention');
                  }}
                >
                  Show them
                </button>
                <button type="button" className="small secondary" onClick={dismissNotice}>
                  Dismiss
                </button>
              </div>
            )}
            <h1 className="visually-hidden">Tokens</h1>
            <div className="toolbar" role="search">
              <label className="grow">
                <span className="visually-hidden">Search tokens</span>
                <input type="search" placeholder="Search tokens" value={query.text} onChange={(e) => setQuery({ text: e.target.value })} />
              </label>
              <label>
                <span className="visually-hidden">Workspace</span>
                <select aria-label="Workspace" value={query.workspaceId ?? ''} onChange={(e) => setQuery({ workspaceId: e.target.value || null })}>
                  <option value="">All workspaces</option>
                  {workspaces.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">Status</span>
                <select aria-label="Status" value={query.status} onChange={(e) => setQuery({ status: e.target.value as StatusFilter })}>
                  <option value="all">Any status</option>
                  {TOKEN_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">Expiring within</span>
                <select aria-label="Expiring within" value={query.expiringWithinDays ?? ''} onChange={(e) => setQuery({ expiringWithinDays: e.target.value ? Number(e.target.value) : null })}>
                  <option value="">Any expiry</option>
                  <option value="7">Expiring within 7 days</option>
                  <option value="30">Expiring within 30 days</option>
                  <option value="90">Expiring within 90 days</option>
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={query.rotationDue} onChange={(e) => setQuery({ rotationDue: e.target.checked })} />
                Rotation due
              </label>
              <label>
                <span className="visually-hidden">Sort by</span>
                <select aria-label="Sort by" value={query.sort} onChange={(e) => setQuery({ sort: e.target.value as SortKey })}>
                  <option value="expiry">Sort by expiry</option>
                  <option value="name">Sort by name</option>
                  <option value="created">Sort by created</option>
                  <option value="last-used">Sort by last used</option>
                </select>
              </label>
              <button type="button" onClick={() => setDialog({ kind: 'create' })} disabled={workspaces.length === 0}>
                New token
              </button>
            </div>
            <p className="result-count" role="status" aria-live="polite">
              {loading && tokens.length === 0 ? 'Loading tokens…' : `${visible.length.toLocaleString()} of ${tokens.length.toLocaleString()} tokens`}
              {status ? ` · ${status}` : ''}
            </p>
            <ErrorNote error={loadError} />
            <div className="panes">
              {visible.length > 0 ? (
                <TokenList tokens={visible} selectedId={selectedId} onSelect={select} onOpen={focusDetails} providerLabel={providerLabel} now={now} />
              ) : (
                <div className="empty">
                  {workspaces.length === 0 ? (
                    <>
                      <h2>No workspaces yet</h2>
                      <p>Add a workspace for a service you hold tokens for (or a manual one), then create or paste tokens.</p>
                      <button type="button" onClick={() => setDialog({ kind: 'add-ws' })}>
                        Add your first workspace
                      </button>
                    </>
                  ) : filtered && tokens.length > 0 ? (
                    <>
                      <h2>No tokens match</h2>
                      <p>Change the search or the filters to see more.</p>
                      <button type="button" className="secondary" onClick={() => setQuery({ text: '', status: 'all', expiringWithinDays: null, rotationDue: false, workspaceId: null })}>
                        Clear filters
                      </button>
                    </>
                  ) : (
                    <>
                      <h2>No tokens yet</h2>
                      <p>Create a token, paste one into a manual workspace, or sync a workspace to list what the service has.</p>
                    </>
                  )}
                </div>
              )}
              {selected ? (
                <TokenDetails key={selected.id} token={selected} now={now} />
              ) : (
                visible.length > 0 && <p className="details placeholder">Select a token to see its details and actions.</p>
              )}
            </div>
          </>
        )}
      </main>
      {dialog?.kind === 'create' && <CreateTokenDialog defaultWorkspaceId={query.workspaceId} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
      {(dialog?.kind === 'add-ws' || dialog?.kind === 'edit-ws') && (
        <WorkspaceDialog
          {...(dialog.kind === 'edit-ws' ? { workspace: dialog.ws } : {})}
          onClose={() => setDialog(null)}
          onDone={(ws) => {
            setDialog(null);
            void loadWorkspaces().then(() => setQuery({ workspaceId: ws.id }));
          }}
        />
      )}
      {dialog?.kind === 'remove-ws' && (
        <RemoveWorkspaceDialog
          workspace={dialog.ws}
          tokenCount={tokens.filter((t) => t.workspaceId === dialog.ws.id).length}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setQuery({ workspaceId: null });
            void loadWorkspaces();
          }}
        />
      )}
    </div>
  );
}
