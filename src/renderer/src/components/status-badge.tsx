import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { STATUS_LABELS, effectiveStatus } from '../lib/token-query';

export function StatusBadge({ token, now }: { token: TokenDto; now: number }) {
  const status = effectiveStatus(token, now);
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** Expiry warning and rotation badges: words, not colour alone. */
export function AttentionBadges({ token }: { token: TokenDto }) {
  return (
    <>
      {token.expiry === 'warning' && <span className="badge warn">Expires soon</span>}
      {token.rotationDue && <span className="badge warn">Rotation due</span>}
      {token.replacedById && <span className="badge info">Replaced: confirm deployed</span>}
    </>
  );
}
