import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import type { ChosenImportFile } from '../../../shared/ipc/transfer-channels';
import type { Result } from '../../../shared/result';
import { CommandPalette, type PaletteCommand } from '../components/command-palette';
import { ErrorNote } from '../components/error-note';
import { EXPIRY_WINDOWS, expiryWindowLabel, FilterMenu, SortMenu, statusFilterLabel } from '../components/filter-menu';
import { HelpSheet } from '../components/help-sheet';
import { Sidebar } from '../components/sidebar';
import { TokenDetails } from './token-details';
import { TokenList } from '../components/token-list';
import { CreateTokenDialog } from '../dialogs/create-token-dialog';
import { SettingsDialog } from '../dialogs/settings-dialog';
import { ImportDialog } from '../dialogs/import-dialog';
import { RemoveWorkspaceDialog, WorkspaceDialog } from '../dialogs/workspace-dialog';
import { count, listOf, TOKENS } from '../lib/plural';
import { ariaKeys, keyLabel } from '../lib/shortcuts';
import { filterTokens, prepareSearch, rememberPass, rowOf, sortTokens, type FilterResult, type SortKey } from '../lib/token-query';
import { useShortcuts } from '../lib/use-shortcuts';
import { useFileDrop } from '../lib/use-file-drop';
import { useReminders } from '../stores/reminders-store';
import { ReauthCopyDialog } from '../dialogs/reauth-copy-dialog';
import { OperationStatus } from '../components/operation-status';
import { connectStoresToMain } from '../stores/store-events';
import { useVault } from '../stores/vault-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';
import { useSharing } from '../stores/sharing-store';
import { AttentionView } from './attention-view';
import { ScanView } from './scan-view';
import { TrashView } from './trash-view';

type Dialog =
  | { kind: 'create' }
  | { kind: 'add-ws' }
  | { kind: 'edit-ws'; ws: WorkspaceDto }
  | { kind: 'remove-ws'; ws: WorkspaceDto }
  | { kind: 'settings' }
  | { kind: 'import'; dropped?: { id: number; result: Result<ChosenImportFile> } }
  | { kind: 'palette' }
  | { kind: 'help' }
  | null;

/** The unlocked app: the find bar and the virtualized token list with the selected token's details; workspaces left. */
export function VaultScreen() {
  const tokens = useTokens((s) => s.tokens);
  const index = useTokens((s) => s.index);
  const query = useTokens((s) => s.query);
  const setQuery = useTokens((s) => s.setQuery);
  const selectedId = useTokens((s) => s.selectedId);
  const select = useTokens((s) => s.select);
  const loading = useTokens((s) => s.loading);
  const loadError = useTokens((s) => s.loadError);
  const status = useTokens((s) => s.status);
  const { workspaces, providers, load: loadWorkspaces, sync, syncing } = useWorkspaces();
  const loadTokens = useTokens((s) => s.load);
  const loadReminders = useReminders((s) => s.load);
  const loadSharing = useSharing((s) => s.load);
  const { view, setView, summary, noticeDismissed, dismissNotice } = useReminders();
  const attention = summary?.counts.total ?? 0;
  const lock = useVault((s) => s.lock);
  const loadSettings = useVault((s) => s.loadSettings);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [now, setNow] = useState(() => Date.now());
  const searchRef = useRef<HTMLInputElement>(null);
  const recentFilters = useRef<FilterResult[]>([]);
  const drops = useRef(0);
  // A file dropped anywhere opens the import with it, unless another dialog is in the middle of something.
  const dragging = useFileDrop(dialog === null || dialog.kind === 'import', (file) => {
    const id = (drops.current += 1);
    void window.tokenVault.transfer.importDroppedFile(file).then((result) => {
      if (drops.current === id) setDialog({ kind: 'import', dropped: { id, result } });
    });
  });

  useEffect(() => {
    void loadTokens();
    void loadWorkspaces();
    void loadReminders();
    void loadSettings();
    void loadSharing();
    // Relative times and "expired" move on by themselves.
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    const disconnect = connectStoresToMain();
    return () => {
      clearInterval(timer);
      disconnect();
    };
  }, [loadTokens, loadWorkspaces, loadReminders, loadSettings, loadSharing]);

  // The sort is the expensive part: redo it only when the list, the key or the minute changes, never per keystroke.
  const sorted = useMemo(() => sortTokens(index, query.sort, now), [index, query.sort, now]);
  // Filtering searches one precomputed text; typing more letters scans only the last matches, and deleting letters
  // finds an earlier answer again.
  const filtered = useMemo(() => filterTokens(index, sorted, query, now, recentFilters.current), [index, sorted, query, now]);
  useEffect(() => {
    recentFilters.current = rememberPass(recentFilters.current, filtered);
  }, [filtered]);
  // The first rows do not need the search text: it is built once they are painted (a frame, then a task), before
  // anyone can type, so neither the first render nor the first keystroke pays for it (prepareSearch).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => prepareSearch(index, sorted, now), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [index, sorted, now]);
  const visible = filtered.tokens;

  // Details follow the list: a token the list no longer shows (a search, another workspace, a filter) is not selected.
  const selectedRow = useMemo(() => rowOf(index, filtered, selectedId), [index, filtered, selectedId]);
  const selected = selectedRow >= 0 ? (visible[selectedRow] ?? null) : null;
  useEffect(() => {
    if (selectedId !== null && selected === null && !loading) select(null);
  }, [selectedId, selected, loading, select]);

  const providerLabel = useMemo(() => {
    const labels = new Map(providers.map((p) => [p.kind as string, p.label]));
    return (kind: string) => labels.get(kind) ?? kind;
  }, [providers]);
  // Stable, so the memoized sidebar and sort menu skip the re-render each search keystroke makes here.
  const setSort = useCallback((sort: SortKey) => setQuery({ sort }), [setQuery]);
  const sidebarActions = useMemo(
    () => ({
      onAddWorkspace: () => setDialog({ kind: 'add-ws' }),
      onEditWorkspace: (ws: WorkspaceDto) => setDialog({ kind: 'edit-ws', ws }),
      onRemoveWorkspace: (ws: WorkspaceDto) => setDialog({ kind: 'remove-ws', ws }),
      onSettings: () => setDialog({ kind: 'settings' }),
      onImport: () => setDialog({ kind: 'import' }),
      onLock: () => void lock(),
    }),
    [lock],
  );
  const focusDetails = (id: string) => {
    select(id);
    requestAnimationFrame(() => document.getElementById('details-title')?.focus());
  };
  const filteredOut = query.text !== '' || query.status !== 'all' || query.expiringWithinDays !== null || query.rotationDue || query.workspaceId !== null;
  const clearFilters = () => setQuery({ text: '', status: 'all', expiringWithinDays: null, rotationDue: false, workspaceId: null });
  const focusSearch = () => {
    setView('tokens');
    requestAnimationFrame(() => {
      searchRef.current?.focus();
      searchRef.current?.select();
    });
  };
  const newToken = () => workspaces.length > 0 && setDialog({ kind: 'create' });
  const copySecretOf = (token: TokenDto | null) => {
    if (token?.hasSecret) void useTokens.getState().copySecret(token.id);
  };
  const openToken = (token: TokenDto) => {
    setView('tokens');
    // Opening a token the filters hide clears them, so the details and the list agree.
    if (!visible.some((t) => t.id === token.id)) clearFilters();
    focusDetails(token.id);
  };
  const syncable = workspaces.filter((w) => w.kind !== 'manual');

  useShortcuts({
    search: focusSearch,
    'new-token': newToken,
    lock: () => void lock(),
    'copy-secret': () => copySecretOf(view === 'tokens' ? selected : null),
    'copy-prefix': () => {
      if (view === 'tokens' && selected?.prefix) void useTokens.getState().copyPrefix(selected.id);
    },
    palette: () => setDialog({ kind: 'palette' }),
    help: () => setDialog({ kind: 'help' }),
  });

  const commands: PaletteCommand[] = [
    { id: 'new-token', label: 'New token', keys: ['Mod', 'N'], run: newToken },
    { id: 'add-workspace', label: 'Add workspace', run: () => setDialog({ kind: 'add-ws' }) },
    ...(syncable.length > 0 ? [{ id: 'sync-all', label: 'Sync all workspaces', run: () => void sync() }] : []),
    { id: 'attention', label: 'Show what needs attention', run: () => setView('attention') },
    { id: 'import', label: 'Import tokens from a file…', run: () => setDialog({ kind: 'import' }) },
    { id: 'scan', label: 'Scan for tokens', run: () => setView('scan') },
    { id: 'settings', label: 'Settings', run: () => setDialog({ kind: 'settings' }) },
    { id: 'shortcuts', label: 'Keyboard shortcuts', keys: ['?'], run: () => setDialog({ kind: 'help' }) },
    { id: 'lock', label: 'Lock the vault', keys: ['Mod', 'L'], run: () => void lock() },
  ];

  const workspaceName = query.workspaceId ? workspaces.find((w) => w.id === query.workspaceId)?.name : undefined;
  const chips: { label: string; clear(): void }[] = [
    ...(workspaceName ? [{ label: `Workspace: ${workspaceName}`, clear: () => setQuery({ workspaceId: null }) }] : []),
    ...(query.status !== 'all' ? [{ label: statusFilterLabel(query.status), clear: () => setQuery({ status: 'all' }) }] : []),
    ...(query.expiringWithinDays !== null && EXPIRY_WINDOWS.includes(query.expiringWithinDays) ? [{ label: expiryWindowLabel(query.expiringWithinDays), clear: () => setQuery({ expiringWithinDays: null }) }] : []),
    ...(query.rotationDue ? [{ label: 'Rotation due', clear: () => setQuery({ rotationDue: false }) }] : []),
  ];
  const countText = loading && tokens.length === 0 ? 'Loading tokens…' : `${visible.length.toLocaleString()} of ${count(tokens.length, TOKENS)}`;

  return (
    <div className="shell">
      <main className="content">
        {/* Operations no dialog shows (regenerate, revoke, enable, sync): a service's wait counted down, and a cancel. */}
        <OperationStatus matches={(op) => op.kind === 'regenerate' || op.kind === 'revoke' || op.kind === 'set-active' || op.kind === 'sync'} />
        {view === 'attention' ? (
          <AttentionView />
        ) : view === 'trash' ? (
          <TrashView />
        ) : view === 'scan' ? (
          <ScanView />
        ) : (
          <>
            <h1 className="visually-hidden">Tokens</h1>
            <div className="toolbar">
              <div className="search" role="search">
                <label htmlFor="token-search" className="visually-hidden">
                  Search tokens
                </label>
                <input
                  id="token-search"
                  ref={searchRef}
                  type="search"
                  placeholder="Search tokens"
                  aria-keyshortcuts={ariaKeys('search')}
                  value={query.text}
                  onChange={(e) => setQuery({ text: e.target.value })}
                  onKeyDown={(e) => {
                    // Down from the search box goes into the list, as in a launcher.
                    if (e.key === 'ArrowDown' && visible.length > 0) {
                      e.preventDefault();
                      if (!selected && visible[0]) select(visible[0].id);
                      document.getElementById('token-list')?.focus();
                    }
                  }}
                />
                <kbd aria-hidden="true">{keyLabel(['Mod', 'K'])}</kbd>
              </div>
              <FilterMenu query={query} onChange={setQuery} />
              <SortMenu sort={query.sort} onChange={setSort} />
              <button type="button" onClick={newToken} disabled={workspaces.length === 0} aria-keyshortcuts={ariaKeys('new-token')}>
                New token
              </button>
            </div>
            {attention > 0 && !noticeDismissed && (
              <div className="notice" role="region" aria-label="Unlock summary">
                <p>
                  {attention === 1 ? '1 token needs attention' : `${attention.toLocaleString()} tokens need attention`}
                  {summary
                    ? `: ${listOf([summary.counts.expired > 0 && `${summary.counts.expired} expired`, summary.counts.expiring > 0 && `${summary.counts.expiring} expiring soon`, summary.counts.rotationDue > 0 && `${summary.counts.rotationDue} due for rotation`])}.`
                    : '.'}
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
            <div className="status-line">
              <p className="result-count" role="status" aria-live="polite">
                {countText}
                {status ? ` · ${status}` : ''}
              </p>
              {chips.map((c) => (
                <span key={c.label} className="chip">
                  {c.label}
                  <button type="button" aria-label={`Remove filter ${c.label}`} onClick={c.clear}>
                    ✕
                  </button>
                </span>
              ))}
            </div>
            <ErrorNote error={loadError} />
            <div className="panes">
              {visible.length > 0 ? (
                <TokenList tokens={visible} selectedId={selected?.id ?? null} selectedIndex={selectedRow} onSelect={select} onOpen={focusDetails} providerLabel={providerLabel} now={now} />
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
                  ) : filteredOut && tokens.length > 0 ? (
                    <>
                      <h2>No tokens match</h2>
                      <p>Change the search or the filters to see more.</p>
                      <button type="button" className="secondary" onClick={clearFilters}>
                        Clear filters
                      </button>
                    </>
                  ) : (
                    <EmptyVault
                      workspaces={query.workspaceId ? workspaces.filter((w) => w.id === query.workspaceId) : workspaces}
                      syncing={syncing}
                      onSync={(id) => void sync(id)}
                      onNew={newToken}
                    />
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
      <Sidebar {...sidebarActions} />
      {dialog?.kind === 'palette' && (
        <CommandPalette
          index={index}
          now={now}
          providerLabel={providerLabel}
          commands={commands}
          onClose={() => setDialog(null)}
          onCopy={(t) => copySecretOf(t)}
          onOpen={openToken}
        />
      )}
      {dialog?.kind === 'help' && <HelpSheet onClose={() => setDialog(null)} />}
      {/* A copy main refused until the user proves it is them again (button, Ctrl+C and the palette alike). */}
      <ReauthCopyDialog />
      {dialog?.kind === 'create' && <CreateTokenDialog defaultWorkspaceId={query.workspaceId} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'import' && <ImportDialog key={dialog.dropped?.id ?? 0} dropped={dialog.dropped?.result} onClose={() => setDialog(null)} />}
      {dragging && (
        <div className="drop-overlay">
          <p>Drop to import</p>
        </div>
      )}
      {(dialog?.kind === 'add-ws' || dialog?.kind === 'edit-ws') && (
        <WorkspaceDialog
          {...(dialog.kind === 'edit-ws' ? { workspace: dialog.ws } : {})}
          onClose={() => setDialog(null)}
          onDone={(ws) => {
            const added = dialog.kind === 'add-ws';
            setDialog(null);
            setView('tokens');
            void loadWorkspaces().then(() => {
              setQuery({ workspaceId: ws.id });
              // A new workspace on a service lists what is already there at once.
              if (added && ws.kind !== 'manual') void sync(ws.id);
            });
          }}
        />
      )}
      {dialog?.kind === 'remove-ws' && (
        <RemoveWorkspaceDialog
          workspace={dialog.ws}
          tokenCount={tokens.filter((t) => t.workspaceId === dialog.ws.id).length}
          secretCount={tokens.filter((t) => t.workspaceId === dialog.ws.id && t.hasSecret).length}
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

/** No tokens yet: sync what the service has, or create one. */
function EmptyVault({ workspaces, syncing, onSync, onNew }: { workspaces: WorkspaceDto[]; syncing: string[]; onSync(id?: string): void; onNew(): void }) {
  const syncable = workspaces.filter((w) => w.kind !== 'manual');
  const busy = syncable.some((w) => syncing.includes(w.id));
  return (
    <>
      <h2>No tokens yet</h2>
      <p>
        {syncable.length > 0
          ? 'Sync to list the tokens the service already has, or create a new one.'
          : 'Paste a token you created on the service, or add a workspace for a service with an admin API.'}
      </p>
      <div className="actions">
        {syncable.length > 0 && (
          <button type="button" disabled={busy} onClick={() => onSync(syncable.length === 1 ? syncable[0]?.id : undefined)}>
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        )}
        <button type="button" className={syncable.length > 0 ? 'secondary' : ''} onClick={onNew}>
          {syncable.length > 0 ? 'Create a token' : 'Paste a token'}
        </button>
      </div>
    </>
  );
}
