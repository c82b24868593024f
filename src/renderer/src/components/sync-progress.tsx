import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import { longRelative } from '../lib/expiry-signal';
import { count } from '../lib/plural';
import { syncOutcomeText } from '../lib/sync-words';
import { useWorkspaces } from '../stores/workspaces-store';
import { ProviderMark } from './provider-mark';

function stateOf(w: WorkspaceDto, syncing: boolean, result: ReturnType<typeof useWorkspaces.getState>['syncResults'][string] | undefined, now: number) {
  if (syncing) return { text: 'Syncing…', error: false };
  if (result && !result.ok) return { text: `Sync failed: ${result.error?.message ?? 'unknown error'}`, error: true };
  if (result?.ok) return { text: syncOutcomeText(result), error: false };
  if (w.lastSyncError) return { text: `Sync failed: ${w.lastSyncError.message}`, error: true };
  return { text: w.lastSyncAt ? `Last synced ${longRelative(w.lastSyncAt, now)}` : 'Never synced', error: false };
}

/** Each workspace on a service: syncing now (with a bar), the last outcome in words, and its own Sync button. */
export function SyncProgress({ now, providerLabel }: { now: number; providerLabel(kind: string): string }) {
  const { workspaces, syncing, syncResults, sync } = useWorkspaces();
  const remote = workspaces.filter((w) => w.kind !== 'manual');
  if (remote.length === 0) return null;
  const running = remote.filter((w) => syncing.includes(w.id)).length;
  return (
    <section className="card-section" aria-labelledby="sync-title">
      <div className="row spread">
        <h2 id="sync-title" className="section-title">
          Sync
        </h2>
        <p className="hint" role="status">
          {running > 0 ? `Syncing ${running} of ${count(remote.length, { one: 'workspace', other: 'workspaces' })}…` : ''}
        </p>
        <button type="button" className="small secondary" disabled={running > 0} onClick={() => void sync()}>
          Sync all
        </button>
      </div>
      <table className="sync-table">
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Workspace</th>
            <th scope="col">State</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {remote.map((w) => {
            const busy = syncing.includes(w.id);
            const state = stateOf(w, busy, syncResults[w.id], now);
            return (
              <tr key={w.id} className="sync-item">
                <th scope="row" className="sync-ws">
                  <ProviderMark kind={w.kind} label={providerLabel(w.kind)} size="small" />
                  <span className="ws-name" title={w.name}>
                    {w.name}
                  </span>
                </th>
                <td className={state.error ? 'sync-state error' : 'sync-state'}>
                  {busy ? <progress className="sync-bar" aria-label={`Syncing ${w.name}`} /> : null}
                  <span>{state.text}</span>
                </td>
                <td className="sync-action">
                  <button type="button" className="small secondary" disabled={busy} onClick={() => void sync(w.id)} aria-label={`Sync ${w.name} now`}>
                    Sync
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
