import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { IdentityView, ShareStatus, SyncOutcome } from '../../../shared/ipc/share-channels';
import type { AppError, Result } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { useSharing } from '../stores/sharing-store';
import { useWorkspaces } from '../stores/workspaces-store';

/** One line about what a sync did (the words are the window's; main returns counts). */
function outcomeLine(o: SyncOutcome): string {
  const parts = [`pushed ${o.pushed}`, `pulled ${o.pulled}`];
  if (o.conflicts) parts.push(`${o.conflicts} with two secrets`);
  if (o.rejected.length) parts.push(`${o.rejected.length} refused (not signed by a member)`);
  return `"${o.team}": ${parts.join(', ')}.`;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * Settings > Sharing (issue 14): this device's identity (a text form to hand to a member, and a copy button), the
 * shares with their members and workspaces, last sync and errors; share workspaces, join, add and remove members,
 * sync now. The app also syncs every share at unlock and every 5 minutes while unlocked.
 */
export function SharingSection() {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const [identity, setIdentity] = useState<IdentityView>();
  // The sidebar's marks read the same overview: what this pane changes shows there at once.
  const overview = useSharing((s) => s.overview);
  const loadError = useSharing((s) => s.loadError);
  const loadOverview = useSharing((s) => s.load);
  const [error, setError] = useState<AppError>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [remote, setRemote] = useState('');
  const [team, setTeam] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [memberName, setMemberName] = useState('');
  const [memberIdentity, setMemberIdentity] = useState('');
  /** shareId -> the workspace chosen to add to that share. */
  const [adding, setAdding] = useState<Record<string, string>>({});

  const refresh = useCallback(() => loadOverview(), [loadOverview]);

  useEffect(() => {
    void window.tokenVault.share.getIdentity().then((r) => (r.ok ? setIdentity(r.value) : setError(r.error)));
    void refresh();
  }, [refresh]);

  /** Runs one action; its outcome line or error is said, and the overview is read again. */
  const act = async <T,>(call: Promise<Result<T>>, line: (value: T) => string) => {
    setBusy(true);
    setError(undefined);
    setNote('');
    const r = await call;
    setBusy(false);
    if (r.ok) setNote(line(r.value));
    else setError(r.error);
    await refresh();
    return r.ok;
  };

  const shares = overview?.shares ?? [];
  const free = workspaces.filter((w) => !overview?.sharedWorkspaces[w.id]);

  const startShare = async (event: FormEvent) => {
    event.preventDefault();
    if (await act(window.tokenVault.share.init({ remote, team, workspaceIds: chosen }), (o) => `Shared ${outcomeLine(o)}`)) {
      setRemote('');
      setChosen([]);
    }
  };
  const addWorkspace = async (event: FormEvent, share: ShareStatus) => {
    event.preventDefault();
    const workspaceId = adding[share.shareId];
    if (!workspaceId) return;
    const name = workspaces.find((w) => w.id === workspaceId)?.name ?? 'The workspace';
    if (await act(window.tokenVault.share.addWorkspace({ team: share.team, workspaceId }), (o) => `${name} is shared in ${outcomeLine(o)}`)) setAdding({ ...adding, [share.shareId]: '' });
  };
  const join = async () => {
    if (await act(window.tokenVault.share.join({ remote }), (o) => `Joined ${outcomeLine(o)}`)) setRemote('');
  };
  const addMember = async (event: FormEvent, share: ShareStatus) => {
    event.preventDefault();
    const ok = await act(window.tokenVault.share.addMember({ team: share.team, name: memberName, identity: memberIdentity }), (o) => `Added ${o.member}. They can join now.`);
    if (ok) {
      setMemberName('');
      setMemberIdentity('');
    }
  };

  return (
    <section className="form" aria-labelledby="settings-sharing">
      <h3 id="settings-sharing" className="dialog-subtitle">
        Sharing
      </h3>
      <p className="plain hint">Share workspaces with your other devices or a team through a git repository. Everything in it is encrypted for the members only.</p>
      <label>
        This device&apos;s identity
        <textarea readOnly rows={3} value={identity?.identity ?? ''} aria-describedby="identity-help" />
      </label>
      <p id="identity-help" className="plain hint">
        Give this line to a member of a share; once they add it, join with the repository&apos;s address.
      </p>
      <div className="row">
        <button type="button" className="secondary" disabled={!identity} onClick={() => void act(window.tokenVault.share.copyIdentity(), () => 'Identity copied.')}>
          Copy identity
        </button>
      </div>

      {shares.map((share) => {
        const members = overview?.members.find((m) => m.shareId === share.shareId)?.members ?? [];
        const sharedNames = workspaces.filter((w) => overview?.sharedWorkspaces[w.id] === share.team).map((w) => w.name);
        const titleId = `share-title-${share.shareId}`;
        return (
          <div role="group" aria-labelledby={titleId} key={share.shareId}>
            <h4 id={titleId}>Team {share.team}</h4>
            <dl className="plain">
              <dt>Repository</dt>
              <dd>{share.remote}</dd>
              <dt>Workspaces</dt>
              <dd>{sharedNames.length > 0 ? sharedNames.join(', ') : 'none yet'}</dd>
              <dt>Last sync</dt>
              <dd>{when(share.lastSyncAt)}</dd>
              <dt>To push / to pull</dt>
              <dd>
                {share.ahead} / {share.behind}
              </dd>
              {share.conflicts > 0 && (
                <>
                  <dt>Two secrets</dt>
                  <dd>{share.conflicts} shown in Attention as &quot;two secrets: pick one&quot;</dd>
                </>
              )}
              {share.lastError && (
                <>
                  <dt>Last error</dt>
                  <dd className="error">{share.lastError.message}</dd>
                </>
              )}
            </dl>
            <ul aria-label="Members">
              {members.map((m) => (
                <li key={m.deviceId}>
                  {m.name} ({m.deviceName}){m.you ? ' - this device' : ''}{' '}
                  {!m.you && (
                    <button type="button" className="secondary" disabled={busy} onClick={() => void act(window.tokenVault.share.removeMember({ team: share.team, name: m.name }), (o) => `Removed ${o.member}: rotate the tokens they could read (see Attention).`)}>
                      Remove {m.name}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <form className="form" onSubmit={(e) => void addMember(e, share)} aria-label="Add a member">
              <label>
                Member name
                <input value={memberName} required maxLength={100} onChange={(e) => setMemberName(e.target.value)} />
              </label>
              <label>
                Their identity
                <input value={memberIdentity} required onChange={(e) => setMemberIdentity(e.target.value)} />
              </label>
              <div className="row">
                <button type="submit" disabled={busy}>
                  Add member
                </button>
              </div>
            </form>
            {free.length > 0 && (
              <form className="form" onSubmit={(e) => void addWorkspace(e, share)} aria-label={`Add a workspace to ${share.team}`}>
                <label>
                  Workspace to share
                  <select value={adding[share.shareId] ?? ''} onChange={(e) => setAdding({ ...adding, [share.shareId]: e.target.value })}>
                    <option value="">Choose…</option>
                    {free.map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.name}
                      </option>
                    ))}
                  </select>
                </label>
                <div className="row">
                  <button type="submit" className="secondary" disabled={busy || !adding[share.shareId]}>
                    Share it too
                  </button>
                </div>
              </form>
            )}
            <div className="row">
              <button type="button" disabled={busy} onClick={() => void act(window.tokenVault.share.sync({}), (rs) => rs.map((r) => (r.ok ? `Synced ${outcomeLine(r.outcome)}` : `"${r.team}": ${r.error.message}`)).join(' '))}>
                Sync now
              </button>
            </div>
          </div>
        );
      })}
      {/* A device can be in several shares: starting or joining another is always offered. */}
      <form className="form" onSubmit={(e) => void startShare(e)} aria-label={shares.length === 0 ? 'Share workspaces' : 'Start or join another share'}>
        <label>
          Git repository (an empty one to start a share)
          <input value={remote} required placeholder="git@gitlab.example.com:team/tokens.git" onChange={(e) => setRemote(e.target.value)} />
        </label>
        <label>
          Team name
          <input value={team} maxLength={200} onChange={(e) => setTeam(e.target.value)} />
        </label>
        <fieldset>
          <legend>Workspaces to share</legend>
          {free.map((w) => (
            <label key={w.id} className="check">
              <input type="checkbox" checked={chosen.includes(w.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, w.id] : chosen.filter((id) => id !== w.id))} />
              {w.name}
            </label>
          ))}
        </fieldset>
        <div className="row">
          <button type="button" className="secondary" disabled={busy || remote.trim() === ''} onClick={() => void join()}>
            Join
          </button>
          <button type="submit" disabled={busy || team.trim() === ''}>
            Start sharing
          </button>
        </div>
      </form>
      <ErrorNote error={error ?? loadError} />
      {note && <p role="status">{note}</p>}
    </section>
  );
}
