import { useEffect, useRef, useState } from 'react';
import type { OperationDto, OperationKind } from '../../../shared/ipc/operations-channels';
import { count } from '../lib/plural';
import { useOperations } from '../stores/operations-store';

/** What the operation does, and how its service joins the phrase: ["Creating the token", "at"]. */
function doing(kind: OperationKind): [string, string] {
  switch (kind) {
    case 'create':
      return ['Creating the token', 'at'];
    case 'regenerate':
      return ['Regenerating the token', 'at'];
    case 'revoke':
      return ['Revoking the token', 'at'];
    case 'set-active':
      return ['Changing the token', 'at'];
    case 'sync':
      return ['Syncing', 'with'];
    case 'connect':
      return ['Connecting', 'to'];
    case 'rotate':
      return ['Rotating the token', 'at'];
    default:
      return kind satisfies never;
  }
}

/** Seconds left until `iso`, counted down every second while there is a wait. */
function useSecondsLeft(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : null;
}

/**
 * What a remote operation of this dialog is doing right now: waiting because the service asked to (a 429's
 * Retry-After), counted down, or under way; with a button that cancels it while that is still safe.
 */
export function OperationStatus({ matches }: { matches(op: OperationDto): boolean }) {
  const op = useOperations((s) => s.operations.find(matches));
  const cancel = useOperations((s) => s.cancel);
  const left = useSecondsLeft(op?.waitingUntil ?? null);
  const ref = useRef<HTMLDivElement>(null);
  const id = op?.id;
  // In a tall dialog the status may land below the fold, and its Cancel with it: bring it into view.
  useEffect(() => {
    if (id) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [id]);
  if (!op) return null;
  const [what, where] = doing(op.kind);
  const text =
    left !== null
      ? `${op.service} asked Token Vault to wait: ${what.toLowerCase()} resumes in `
      : op.cancellable
        ? `${what} ${where} ${op.service}…`
        : `Cancelled after the request went out: checking whether ${op.service} carried it out…`;
  return (
    <div className="operation-status row spread" data-testid="operation-status" ref={ref}>
      <p className="hint" role="status">
        {text}
        {left !== null && <span aria-live="off">{count(left, { one: 'second', other: 'seconds' })}.</span>}
      </p>
      {op.cancellable && (
        <button type="button" className="small secondary" onClick={() => void cancel(op.id)}>
          Cancel request
        </button>
      )}
    </div>
  );
}
