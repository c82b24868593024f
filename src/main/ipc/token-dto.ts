import type { TokenDto } from '../../shared/ipc/tokens-channels';
import type { TokenSummary } from '../vault';

/** How much of a secret's start the window may show, as the services' own token pages do. */
export const PREFIX_LENGTH = 8;

/**
 * A token as the renderer may see it. Fields are listed one by one, never spread from the stored record, so a field
 * added to the vault later cannot reach the window by accident. Never the secret.
 */
export const toTokenDto = (t: TokenSummary): TokenDto => ({
  id: t.id,
  workspaceId: t.workspaceId,
  remoteId: t.remoteId,
  name: t.name,
  description: t.description,
  prefix: t.prefix === null ? null : t.prefix.slice(0, PREFIX_LENGTH),
  type: t.type,
  scopes: t.scopes,
  hasSecret: t.hasSecret,
  status: t.status,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  usageCount: t.usageCount,
});
