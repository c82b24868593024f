import { memo } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { formatDate, formatExpiry, formatLastUsed } from '../lib/format';
import { AttentionBadges, StatusBadge } from './status-badge';

export interface TokenCardProps {
  token: TokenDto;
  providerLabel: string;
  selected: boolean;
  now: number;
}

/** One row of the list: everything the seeds' token cards show, without the secret. */
export const TokenCard = memo(function TokenCard({ token, providerLabel, selected, now }: TokenCardProps) {
  return (
    <div className={selected ? 'card selected' : 'card'}>
      <div className="card-head">
        <span className="card-name">{token.name}</span>
        <StatusBadge token={token} now={now} />
        <AttentionBadges token={token} />
      </div>
      <div className="card-meta">
        <span>
          <code>{token.prefix ? `${token.prefix}…` : 'no prefix'}</code>
        </span>
        <span>
          {token.workspaceName} · {providerLabel}
        </span>
      </div>
      <div className="card-dates">
        <span>Created {formatDate(token.createdAt)}</span>
        <span>Expires {formatExpiry(token.expiresAt)}</span>
        <span>Last used {formatLastUsed(token.lastUsedAt)}</span>
        {token.usageCount !== null && <span>{token.usageCount.toLocaleString()} uses</span>}
      </div>
    </div>
  );
});
