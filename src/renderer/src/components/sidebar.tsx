import { memo } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import { count, TOKENS } from '../lib/plural';
import { syncOutcomeText } from '../lib/sync-words';
import { useReminders } from '../stores/reminders-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';
import { ProviderMark } from './provider-mark';

export interface SidebarProps {
  onAddWorkspace(): void;
  onEditWorkspace(ws: WorkspaceDto): void;
  onRemoveWorkspace(ws: WorkspaceDto): void;
  onSettings(): void;
  onImport(): void;
  onLock(): void;
}

const needAttention = (n: number) => `${count(n, TOKENS)} ${n === 1 ? 'needs' : 'need'} attention`;

/**
 * Attention, all tokens, then the workspaces with their counts and sync state; the footer (Add workspace, Sync all,
 * Settings, Lock) stays in view however many workspaces scroll above it.
 */
/** Memoized (the screen passes stable callbacks): a search keystroke does not re-render the sidebar. */
export const Sidebar = memo(function Sidebar({ onAddWorkspace, onEditWorkspace, onRemoveWorkspace, onSettings, onImport, onLock }: SidebarProps) {
  const { workspaces, providers, syncing, syncResults, sync } = useWorkspaces();
  const tokenCount = useTokens((s) => s.tokens.length);
  const counts = useTokens((s) => s.index.workspaceCounts);
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
  const label = (kind: string) => providers.find((p) => p.kind === kind)?.label ?? kind;
  const anySyncable = workspaces.some((w) => w.kind !== 'manual');
  const allCurrent = selected === null && view === 'tokens';

  return (
    <nav className="sidebar" aria-label="Workspaces">
      <div className="sidebar-scroll">
        <button type="button" className={view === 'attention' ? 'ws attention-link current' : 'ws attention-link'} aria-current={view === 'attention' ? 'page' : undefined} onClick={() => setView('attention')}>
          <span className="mark small mark-manual" aria-hidden="true">!</span>
          <span className="ws-name">Attention</span>
          <span className={attentionTotal > 0 ? 'attention-dot' : 'count'} aria-label={needAttention(attentionTotal)}>
            {attentionTotal}
          </span>
        </button>
        <button type="button" className={allCurrent ? 'ws current' : 'ws'} aria-current={allCurrent ? 'true' : undefined} onClick={() => show(null)}>
          <span className="mark small mark-vault" aria-hidden="true">∗</span>
          <span className="ws-name">All tokens</span>
          <span className="count" aria-label={count(tokenCount, TOKENS)}>
            {tokenCount.toLocaleString()}
          </span>
        </button>
        <h2 className="sidebar-title">Workspaces</h2>
        <ul className="ws-list">
          {workspaces.map((w) => {
            const attention = summary?.byWorkspace[w.id]?.total ?? 0;
            const result = syncResults[w.id];
            const error = result && !result.ok ? result.error : w.lastSyncError;
            const isSyncing = syncing.includes(w.id);
            const current = selected === w.id && view === 'tokens';
            return (
              <li key={w.id} className="ws-item">
                <button type="button" className={current ? 'ws current' : 'ws'} aria-current={current ? 'true' : undefined} onClick={() => show(w.id)}>
                  <ProviderMark kind={w.kind} label={label(w.kind)} size="small" />
                  <span className="ws-name" title={w.name}>
                    {w.name}
                  </span>
                  <span className="count" aria-label={count(counts.get(w.id) ?? 0, TOKENS)}>
                    {(counts.get(w.id) ?? 0).toLocaleString()}
                  </span>
                  <span className="visually-hidden">{label(w.kind)}</span>
                  {attention > 0 ? (
                    <span className="attention-dot" aria-label={needAttention(attention)}>
                      {attention}
                    </span>
                  ) : (
                    <span aria-hidden="true" />
                  )}
                </button>
                {isSyncing && (
                  <p className="ws-status" role="status">
                    Syncing…
                  </p>
                )}
                {!isSyncing && result?.ok && (
                  <p className="ws-status" role="status">
                    {syncOutcomeText(result)}
                  </p>
                )}
                {!isSyncing && error && (
                  <p className="ws-status error" role="alert">
                    Sync failed: {error.message}
                  </p>
                )}
                {current && (
                  <div className="ws-actions">
                    {w.kind !== 'manual' && (
                      <button type="button" className="small secondary" disabled={isSyncing} onClick={() => void sync(w.id)} aria-label={`Sync ${w.name}`}>
                        Sync
                      </button>
                    )}
                    <button type="button" className="small secondary" onClick={() => onEditWorkspace(w)} aria-label={`Edit ${w.name}`}>
                      Edit
                    </button>
                    <button type="button" className="small secondary" onClick={() => onRemoveWorkspace(w)} aria-label={`Remove ${w.name}`}>
                      Remove
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <button type="button" className={view === 'scan' ? 'ws current' : 'ws'} aria-current={view === 'scan' ? 'page' : undefined} onClick={() => setView('scan')}>
          <span className="mark small mark-vault" aria-hidden="true">⌕</span>
          <span className="ws-name">Scan for tokens</span>
          <span aria-hidden="true" />
        </button>
        <button type="button" className={view === 'trash' ? 'ws current' : 'ws'} aria-current={view === 'trash' ? 'page' : undefined} onClick={() => setView('trash')}>
          <span className="mark small mark-vault" aria-hidden="true">⌫</span>
          <span className="ws-name">Trash</span>
          <span aria-hidden="true" />
        </button>
      </div>
      <div className="sidebar-footer">
        <button type="button" className="wide" onClick={onAddWorkspace}>
          Add workspace
        </button>
        {anySyncable && (
          <button type="button" className="secondary wide" disabled={syncing.length > 0} onClick={() => void sync()}>
            {syncing.length > 0 ? `Syncing ${syncing.length}…` : 'Sync all'}
          </button>
        )}
        <button type="button" className="secondary" onClick={onImport}>
          Import…
        </button>
        <button type="button" className="secondary" onClick={onSettings}>
          Settings
        </button>
        <button type="button" className="secondary" onClick={onLock} aria-keyshortcuts="Control+L Meta+L">
          Lock
        </button>
      </div>
    </nav>
  );
});
