import { memo } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { formatDate, formatExpiry, formatLastUsed } from '../lib/format';
import { useWorkspaces } from '../stores/workspaces-store';
import { AttentionBadges, StatusBadge } from './status-badge';

export interface TokenCardProps {
  token: TokenDto;
  providerLabel: string;
  selected: boolean;
  now: number;
}

/** One row of the list: everything the seeds' token cards show, without the secret. */
export const TokenCard = memo(function TokenCard({ token, providerLabel, selected, now }: TokenCardProps) {
  // "Never used" only where the service reports use; elsewhere the card says nothing about it.
  const reportsLastUse = useWorkspaces((s) => s.providers.find((p) => p.kind === token.providerKind)?.capabilities.lastUsed ?? true);
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
        {(reportsLastUse || token.lastUsedAt !== null) && <span>Last used {formatLastUsed(token.lastUsedAt)}</span>}
        {token.usageCount !== null && <span>{token.usageCount.toLocaleString()} uses</span>}
      </div>
    </div>
  );
});
