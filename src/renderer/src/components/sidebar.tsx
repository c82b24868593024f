import { memo, useState } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import type { AppError } from '../../../shared/result';
import { relativeTime } from '../lib/format';
import { count, TOKENS } from '../lib/plural';
import { syncOutcomeText } from '../lib/sync-words';
import { useReminders } from '../stores/reminders-store';
import { useSharing } from '../stores/sharing-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';
import { ErrorNote } from './error-note';
import { PickSecret } from './pick-secret';
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

/** Two members set a shared workspace's admin credential at once: both were kept, the user picks one here. */
function CredentialConflict({ ws }: { ws: WorkspaceDto }) {
  const conflicted = useSharing((s) => s.overview?.conflictedWorkspaces.includes(ws.id) ?? false);
  const reload = useSharing((s) => s.load);
  if (!conflicted) return null;
  return (
    <div className="ws-actions">
      <p className="ws-status error">Two admin credentials: pick one</p>
      <PickSecret recordId={ws.id} name={`${ws.name}'s admin credential`} onPicked={() => void reload()} />
    </div>
  );
}

/** A shared workspace's line under its name: syncing, its share's last error, or when it last synced. */
function ShareLine({ workspaceId }: { workspaceId: string }) {
  const overview = useSharing((s) => s.overview);
  const syncing = useSharing((s) => s.syncing);
  const team = overview?.sharedWorkspaces[workspaceId];
  if (team === undefined) return null;
  const status = overview?.shares.find((s) => s.team === team);
  if (syncing.includes(team))
    return (
      <p className="ws-status" role="status">
        Shared with {team}: syncing…
      </p>
    );
  if (status?.lastError)
    return (
      <p className="ws-status error" role="alert">
        Sharing with {team} failed: {status.lastError.message}
      </p>
    );
  return (
    <p className="ws-status" role="status">
      Shared with {team} · {status?.lastSyncAt ? `synced ${relativeTime(status.lastSyncAt)}` : 'not synced yet'}
    </p>
  );
}

/**
 * A shared change moved this workspace to another origin and kept its credential: it waits for this device's user.
 * "Use it there" sends the stored credential to the new address (verified there); "Enter another" edits the workspace.
 */
function HeldCredential({ ws, onEdit }: { ws: WorkspaceDto; onEdit(): void }) {
  const confirm = useWorkspaces((s) => s.confirmCredential);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const hold = ws.credentialHold;
  if (!hold) return null;
  const to = hold.to ?? 'a new address';
  const use = async () => {
    setBusy(true);
    setError(undefined);
    const r = await confirm(ws.id, hold.to);
    setBusy(false);
    if (r.ok) setOpen(false);
    else setError(r.error);
  };
  // Without an admin credential, what waits is the tokens' own secrets (revoking or checking a token sends it there).
  const credential = ws.hasAdminCredential;
  return (
    <div className="ws-hold">
      <p className="ws-status error">Moved to {to} by a shared change: {credential ? 'its credential waits for you.' : 'nothing is sent there until you confirm.'}</p>
      {open ? (
        <div className="ws-actions" role="group" aria-label={`Credential of ${ws.name}`}>
          <p className="ws-status">
            {credential ? 'The stored credential was given' : 'Its tokens’ secrets were stored'} for {hold.from ?? 'the old address'}. {credential ? 'It is' : 'They are'} not sent to {to} until you say so.
          </p>
          <button type="button" className="small" disabled={busy} onClick={() => void use()}>
            {credential ? `Use it at ${to}` : `Confirm ${to}`}
          </button>
          {credential && (
            <button type="button" className="small secondary" onClick={onEdit}>
              Enter another…
            </button>
          )}
          <ErrorNote error={error} />
        </div>
      ) : (
        <div className="ws-actions">
          <button type="button" className="small" onClick={() => setOpen(true)} aria-label={`Review the move of ${ws.name}`}>
            Review…
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Attention, all tokens, then the workspaces with their counts and sync state; the footer (Add workspace, Sync all,
 * Settings, Lock) stays in view however many workspaces scroll above it.
 */
/** Memoized (the screen passes stable callbacks): a search keystroke does not re-render the sidebar. */
export const Sidebar = memo(function Sidebar({ onAddWorkspace, onEditWorkspace, onRemoveWorkspace, onSettings, onImport, onLock }: SidebarProps) {
  const { workspaces, providers, syncing, syncResults, sync } = useWorkspaces();
  const tokenCount = useTokens((s) => s.tokens.length);
  const counts = useTokens((s) => s.index.workspaceCounts);
  const sharedWorkspaces = useSharing((s) => s.overview?.sharedWorkspaces);
  const shareOf = (id: string) => (sharedWorkspaces?.[id] === undefined ? null : { team: sharedWorkspaces[id] });
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
                  <span className="ws-name" title={shareOf(w.id) ? `${w.name} (shared with ${shareOf(w.id)?.team ?? ''})` : w.name}>
                    {w.name}
                    {shareOf(w.id) && (
                      <span className="shared-mark" aria-hidden="true">
                        {' '}
                        ⇄
                      </span>
                    )}
                  </span>
                  <span className="count" aria-label={count(counts.get(w.id) ?? 0, TOKENS)}>
                    {(counts.get(w.id) ?? 0).toLocaleString()}
                  </span>
                  <span className="visually-hidden">
                    {label(w.kind)}
                    {shareOf(w.id) ? `, shared with ${shareOf(w.id)?.team ?? ''}` : ''}
                  </span>
                  {attention > 0 ? (
                    <span className="attention-dot" aria-label={needAttention(attention)}>
                      {attention}
                    </span>
                  ) : (
                    <span aria-hidden="true" />
                  )}
                </button>
                <ShareLine workspaceId={w.id} />
                <HeldCredential ws={w} onEdit={() => onEditWorkspace(w)} />
                <CredentialConflict ws={w} />
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
