import { useMemo } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import { useReminders } from '../stores/reminders-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';

export interface SidebarProps {
  onAddWorkspace(): void;
  onEditWorkspace(ws: WorkspaceDto): void;
  onRemoveWorkspace(ws: WorkspaceDto): void;
  onSettings(): void;
  onLock(): void;
}

/** Workspaces with their token counts, warnings, sync state and errors. */
export function Sidebar({ onAddWorkspace, onEditWorkspace, onRemoveWorkspace, onSettings, onLock }: SidebarProps) {
  const { workspaces, providers, syncing, syncResults, sync } = useWorkspaces();
  const tokens = useTokens((s) => s.tokens);
  const selected = useTokens((s) => s.query.workspaceId);
  const setQuery = useTokens((s) => s.setQuery);
  const summary = useReminders((s) => s.summary);
  const view = useReminders((s) => s.view);
  const setView = useReminders((s) => s.setView);
  const attentionTotal = summary?.counts.total ?? 0;
  const show = (workspaceId: string | null) => {
    setView('tokens');
    setQuery({ workspaceId });
  };
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const t of tokens) m.set(t.workspaceId, (m.get(t.workspaceId) ?? 0) + 1);
    return m;
  }, [tokens]);
  const label = (kind: string) => providers.find((p) => p.kind === kind)?.label ?? kind;
  const anySyncable = workspaces.some((w) => w.kind !== 'manual');

  return (
    <nav className="sidebar" aria-label="Workspaces">
      <button type="button" className={view === 'attention' ? 'ws attention-link current' : 'ws attention-link'} aria-current={view === 'attention' ? 'page' : undefined} onClick={() => setView('attention')}>
        <span className="ws-name">Attention</span>
        <span className={attentionTotal > 0 ? 'count badge warn' : 'count'} aria-label={`${attentionTotal} ${attentionTotal === 1 ? 'token needs' : 'tokens need'} attention`}>
          {attentionTotal}
        </span>
      </button>
      <h2 className="sidebar-title">Workspaces</h2>
      <ul className="ws-list">
        <li>
          <button type="button" className={selected === null && view === 'tokens' ? 'ws current' : 'ws'} aria-current={selected === null && view === 'tokens' ? 'true' : undefined} onClick={() => show(null)}>
            <span className="ws-name">All tokens</span>
            <span className="count" aria-label={`${tokens.length} tokens`}>
              {tokens.length}
            </span>
            {summary && summary.counts.total > 0 && <span className="badge warn">{summary.counts.total} need attention</span>}
          </button>
        </li>
        {workspaces.map((w) => {
          const attention = summary?.byWorkspace[w.id]?.total ?? 0;
          const result = syncResults[w.id];
          const error = result && !result.ok ? result.error : w.lastSyncError;
          const isSyncing = syncing.includes(w.id);
          return (
            <li key={w.id} className="ws-item">
              <button type="button" className={selected === w.id && view === 'tokens' ? 'ws current' : 'ws'} aria-current={selected === w.id && view === 'tokens' ? 'true' : undefined} onClick={() => show(w.id)}>
                <span className="ws-name">{w.name}</span>
                <span className="count" aria-label={`${counts.get(w.id) ?? 0} tokens`}>
                  {counts.get(w.id) ?? 0}
                </span>
                <span className="ws-kind">{label(w.kind)}</span>
                {attention > 0 && <span className="badge warn">{attention} need attention</span>}
              </button>
              {isSyncing && (
                <p className="ws-status" role="status">
                  Syncing…
                </p>
              )}
              {!isSyncing && result?.ok && (
                <p className="ws-status" role="status">
                  Synced: {result.total} tokens ({result.added} new, {result.updated} updated{result.revokedRemote ? `, ${result.revokedRemote} revoked at the service` : ''})
                </p>
              )}
              {!isSyncing && error && (
                <p className="ws-status error" role="alert">
                  Sync failed: {error.message}
                </p>
              )}
              {selected === w.id && (
                <div className="ws-actions">
                  {w.kind !== 'manual' && (
                    <button type="button" className="small secondary" disabled={isSyncing} onClick={() => void sync(w.id)}>
                      Sync {w.name}
                    </button>
                  )}
                  <button type="button" className="small secondary" onClick={() => onEditWorkspace(w)}>
                    Edit {w.name}
                  </button>
                  <button type="button" className="small secondary" onClick={() => onRemoveWorkspace(w)}>
                    Remove {w.name}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <div className="sidebar-actions">
        <button type="button" onClick={onAddWorkspace}>
          Add workspace
        </button>
        {anySyncable && (
          <button type="button" className="secondary" disabled={syncing.length > 0} onClick={() => void sync()}>
            {syncing.length > 0 ? `Syncing ${syncing.length}…` : 'Sync all'}
          </button>
        )}
        <button type="button" className="secondary" onClick={onSettings}>
          Settings
        </button>
        <button type="button" className="secondary" onClick={onLock}>
          Lock
        </button>
      </div>
    </nav>
  );
}
