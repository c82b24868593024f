import { memo } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { expiryGlance, expirySentence, isEnded, urgencyOf } from '../lib/expiry-signal';
import { effectiveStatus, STATUS_LABELS } from '../lib/token-query';
import { ProviderMark } from './provider-mark';
import { awaitsConfirmation } from './status-badge';

export interface TokenCardProps {
  token: TokenDto;
  providerLabel: string;
  now: number;
}

/**
 * One row of the list, two lines at a fixed height: the provider mark, the name and the expiry at a glance ("in 3d",
 * coloured by urgency), then the workspace and prefix, and the status. Ended tokens (revoked, expired) are dimmed.
 * Nothing wraps, so every row has the same height however long its text.
 */
export const TokenCard = memo(function TokenCard({ token, providerLabel, now }: TokenCardProps) {
  const urgency = urgencyOf(token, now);
  const status = effectiveStatus(token, now);
  return (
    <div className={isEnded(urgency) ? 'trow ended' : 'trow'}>
      <ProviderMark kind={token.providerKind} label={providerLabel} />
      <span className="row-name">{token.name}</span>
      <span className={`row-expiry urgency-${urgency}`} title={expirySentence(token, now)}>
        <span aria-hidden="true">{expiryGlance(token, now)}</span>
        <span className="visually-hidden">{expirySentence(token, now)}</span>
      </span>
      <span className="row-meta">
        {token.workspaceName} · <span className="visually-hidden">{providerLabel} · </span>
        <code>{token.prefix ? `${token.prefix}…` : 'no prefix'}</code>
        {token.rotationDue ? ' · rotation due' : ''}
        {awaitsConfirmation(token) ? ' · replaced, confirm deployed' : ''}
      </span>
      <span className={`row-status status-${status}`}>{STATUS_LABELS[status]}</span>
    </div>
  );
});
