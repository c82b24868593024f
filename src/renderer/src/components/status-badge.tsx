import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { expirySentence, urgencyOf } from '../lib/expiry-signal';
import { STATUS_LABELS, effectiveStatus } from '../lib/token-query';

/** A rotation created this token's replacement and waits for "deployed"; once the old one is revoked, nothing waits. */
export const awaitsConfirmation = (t: Pick<TokenDto, 'replacedById' | 'status'>): boolean => t.replacedById !== null && (t.status === 'active' || t.status === 'inactive');

export function StatusBadge({ token, now }: { token: TokenDto; now: number }) {
  const status = effectiveStatus(token, now);
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** Expiry urgency and rotation badges: each level in its own words, not colour alone. */
export function AttentionBadges({ token, now }: { token: TokenDto; now: number }) {
  const urgency = urgencyOf(token, now);
  const soon = urgency === 'day' || urgency === 'week' || urgency === 'ladder';
  return (
    <>
      {soon && <span className={`badge urgency-${urgency}`}>{expirySentence(token, now)}</span>}
      {token.rotationDue && <span className="badge info">Rotation due</span>}
      {awaitsConfirmation(token) && <span className="badge info">Replaced: confirm deployed</span>}
    </>
  );
}
