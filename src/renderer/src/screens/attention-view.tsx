import { useMemo, useState, type FormEvent } from 'react';
import type { TokenReminder } from '../../../shared/ipc/reminders-channels';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { ErrorNote } from '../components/error-note';
import { PickSecret } from '../components/pick-secret';
import { RotateDialog } from '../dialogs/rotate-dialog';
import { ExpiryTimeline } from '../components/expiry-timeline';
import { SyncProgress } from '../components/sync-progress';
import { formatDate } from '../lib/format';
import { count, listOf } from '../lib/plural';
import { useWorkspaces } from '../stores/workspaces-store';
import { useReminders } from '../stores/reminders-store';
import { useTokens } from '../stores/tokens-store';

const plural = (n: number, one: string, other = `${one}s`) => count(n, { one, other });

/** Why the token is listed, in words (never colour alone). */
export function reasonText(r: TokenReminder): string {
  if (r.reason === 'expired') {
    if (r.expiry.kind !== 'expired' || r.expiry.daysAgo === null) return 'Expired';
    return r.expiry.daysAgo === 0 ? 'Expired today' : `Expired ${plural(r.expiry.daysAgo, 'day')} ago`;
  }
  if (r.reason === 'expiring' && r.expiry.kind === 'warning') {
    return r.expiry.daysLeft === 0 ? 'Expires today' : `Expires in ${plural(r.expiry.daysLeft, 'day')}`;
  }
  if (r.reason === 'rotation-due' && r.rotation.kind === 'due') {
    const every = `every ${plural(r.rotation.everyDays, 'day')}`;
    return r.rotation.overdueDays === 0 ? `Rotation due today (${every})` : `Rotation due, ${plural(r.rotation.overdueDays, 'day')} overdue (${every})`;
  }
  if (r.reason === 'member-removed') return 'Member removed: rotate it';
  if (r.reason === 'two-secrets') return 'Two secrets: pick one';
  return 'Needs attention';
}

/** Snooze a day, a week, or until a date the user picks (reminders:snooze-token). */
function SnoozeControls({ token }: { token: TokenDto }) {
  const snooze = useReminders((s) => s.snooze);
  const [picking, setPicking] = useState(false);
  const [date, setDate] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPicking(false);
    void snooze(token.id, date, token.name);
  };
  return (
    <>
      <button type="button" className="secondary small" onClick={() => void snooze(token.id, '1d', token.name)}>
        Snooze a day
      </button>
      <button type="button" className="secondary small" onClick={() => void snooze(token.id, '7d', token.name)}>
        Snooze a week
      </button>
      {picking ? (
        <form className="inline-form" onSubmit={submit}>
          <label>
            Snooze until
            <input type="date" required min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)} value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <button type="submit" className="small">
            Snooze
          </button>
        </form>
      ) : (
        <button type="button" className="secondary small" onClick={() => setPicking(true)}>
          Until a date…
        </button>
      )}
    </>
  );
}

/** The due list, most urgent first (expired, then the soonest deadline), each with its reason and its actions. */
export function AttentionView() {
  const { summary, status, error, markRotated, setView } = useReminders();
  const tokens = useTokens((s) => s.tokens);
  const select = useTokens((s) => s.select);
  const [rotating, setRotating] = useState<TokenDto | null>(null);
  const byId = useMemo(() => new Map(tokens.map((t) => [t.id, t])), [tokens]);
  const providers = useWorkspaces((s) => s.providers);
  const providerLabel = (kind: string) => providers.find((p) => p.kind === kind)?.label ?? kind;
  const [now] = useState(() => Date.now());
  const due = summary?.due ?? [];
  const counts = summary?.counts;

  const setQuery = useTokens((s) => s.setQuery);
  const open = (id: string) => {
    // The list shows the token, whatever it was filtered to before: details follow the list.
    setQuery({ text: '', workspaceId: null, status: 'all', expiringWithinDays: null, rotationDue: false });
    select(id);
    setView('tokens');
    requestAnimationFrame(() => document.getElementById('details-title')?.focus());
  };

  return (
    <section className="attention" aria-labelledby="attention-title">
      <h1 id="attention-title" className="view-title">
        Needs attention
      </h1>
      {counts && (
        <p className="result-count">
          {counts.total === 0
            ? 'Nothing needs attention.'
            : `${listOf([counts.expired > 0 && `${counts.expired} expired`, counts.expiring > 0 && `${counts.expiring} expiring soon`, counts.rotationDue > 0 && plural(counts.rotationDue, 'rotation due', 'rotations due')])}.`}
          {counts.snoozed > 0 ? ` · ${counts.snoozed} snoozed` : ''}
        </p>
      )}
      <p className="result-count" role="status" aria-live="polite">
        {status}
      </p>
      <ErrorNote error={error} />
      <ExpiryTimeline tokens={tokens} now={now} providerLabel={providerLabel} onOpen={(t) => open(t.id)} />
      <h2 className="section-title">Needs a look now</h2>
      {due.length === 0 ? (
        <div className="empty">
          <h2>All clear</h2>
          <p>No token is expired, about to expire, or due for rotation. Snoozed reminders come back when their time is up.</p>
        </div>
      ) : (
        <ol className="attention-list">
          {due.map((r) => {
            const t = byId.get(r.tokenId);
            const name = t?.name ?? 'A token';
            const live = t !== undefined && (t.status === 'active' || t.status === 'inactive') && !t.replacedById;
            return (
              <li key={r.tokenId} className={`attention-item reason-${r.reason ?? 'none'}`} aria-label={name}>
                <div className="attention-head">
                  <button type="button" className="link" onClick={() => open(r.tokenId)}>
                    {name}
                  </button>
                  <span className={r.reason === 'expired' ? 'badge status-expired' : 'badge warn'}>{reasonText(r)}</span>
                </div>
                <p className="attention-meta">
                  {t ? `${t.workspaceName} · ` : ''}
                  {r.reason === 'rotation-due' ? `due since ${r.rotation.kind === 'due' ? r.rotation.dueOn : '—'}` : `expires ${formatDate(r.deadline)}`}
                </p>
                {t && (
                  <div className="actions" role="group" aria-label={`Actions for ${name}`}>
                    {live && (
                      <button type="button" className="small" onClick={() => setRotating(t)}>
                        Rotate now…
                      </button>
                    )}
                    {r.reason === 'two-secrets' && <PickSecret recordId={t.id} name={name} />}
                    <SnoozeControls token={t} />
                    {r.reason === 'rotation-due' && (
                      <button type="button" className="secondary small" onClick={() => void markRotated(t.id, name)}>
                        Mark as rotated
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <SyncProgress now={now} providerLabel={providerLabel} />
      {rotating && <RotateDialog token={rotating} onClose={() => setRotating(null)} />}
    </section>
  );
}
