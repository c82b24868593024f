import type { RotationReport } from '../../../shared/ipc/rotation-channels';
import { Modal } from '../components/modal';
import { reportMessage } from '../lib/words';
import { useReveal } from '../stores/reveal-store';
import { useTokens } from '../stores/tokens-store';

const STATE_LABELS = {
  completed: 'Finished',
  'awaiting-confirmation': 'Waiting for you to confirm the new token is deployed',
  'awaiting-secret': 'Waiting for the new secret to be pasted',
  scheduled: 'Old token will be revoked after the grace period',
  'needs-attention': 'Needs your attention',
} as const;

function ReportList({ reports, names }: { reports: RotationReport[]; names: Map<string, string> }) {
  return (
    <ul className="reports">
      {reports.map((r) => (
        <li key={r.rotationId}>
          <strong>
            {names.get(r.tokenId) ? `${names.get(r.tokenId)}: ` : ''}
            {STATE_LABELS[r.state]}
          </strong>
          <p>{reportMessage(r)}</p>
        </li>
      ))}
    </ul>
  );
}

/** After unlock: what the interrupted rotations did when resumed, and exactly what is left to do. */
export function RotationReportsDialog() {
  const reports = useReveal((s) => s.reports);
  const queue = useReveal((s) => s.queue);
  const setReports = useReveal((s) => s.setReports);
  const tokens = useTokens((s) => s.tokens);
  // The one-time reveals of resumed rotations go first.
  if (reports.length === 0 || queue.length > 0) return null;
  const names = new Map(tokens.filter((t) => reports.some((r) => r.tokenId === t.id)).map((t) => [t.id, t.name.replace(/ \(replaced\)$/, '')]));
  const finished = reports.filter((r) => r.state === 'completed');
  const left = reports.filter((r) => r.state !== 'completed');
  return (
    <Modal open onOpenChange={(open) => !open && setReports([])} title="Interrupted rotations" description="Token Vault resumed rotations that were cut short.">
      {finished.length > 0 && (
        <section aria-labelledby="reports-finished">
          <h3 id="reports-finished" className="dialog-subtitle">
            Finished
          </h3>
          <ReportList reports={finished} names={names} />
        </section>
      )}
      {left.length > 0 && (
        <section aria-labelledby="reports-left">
          <h3 id="reports-left" className="dialog-subtitle">
            Left for you to do
          </h3>
          <ReportList reports={left} names={names} />
        </section>
      )}
      <div className="row">
        <button type="button" onClick={() => setReports([])}>
          OK
        </button>
      </div>
    </Modal>
  );
}
