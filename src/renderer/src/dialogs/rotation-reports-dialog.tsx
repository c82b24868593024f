import { Modal } from '../components/modal';
import { useReveal } from '../stores/reveal-store';

const STATE_LABELS = {
  completed: 'Finished',
  'awaiting-confirmation': 'Waiting for you to confirm the new token is deployed',
  'awaiting-secret': 'Waiting for the new secret to be pasted',
  scheduled: 'Old token will be revoked after the grace period',
  'needs-attention': 'Needs your attention',
} as const;

/** After unlock: what the interrupted rotations did when resumed, and exactly what is left to do. */
export function RotationReportsDialog() {
  const reports = useReveal((s) => s.reports);
  const queue = useReveal((s) => s.queue);
  const setReports = useReveal((s) => s.setReports);
  // The one-time reveals of resumed rotations go first.
  if (reports.length === 0 || queue.length > 0) return null;
  return (
    <Modal open onOpenChange={(open) => !open && setReports([])} title="Interrupted rotations" description="Token Vault resumed rotations that were cut short.">
      <ul className="reports">
        {reports.map((r) => (
          <li key={r.rotationId}>
            <strong>{STATE_LABELS[r.state]}</strong>
            <p>{r.message}</p>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={() => setReports([])}>
          OK
        </button>
      </div>
    </Modal>
  );
}
