import { z } from 'zod';
import type { IssuedSecret } from '../issued-secret';
import type { ProviderKind } from '../provider-capabilities';
import type { RotationPolicy } from '../rotation-policy';
import type { TokenStatus } from '../token-status';
import { MUTATES, returns } from './define-channel';

/**
 * A token as the window sees it: the summary, its workspace, and its reminder state, joined in main so the renderer
 * can find, filter and sort 50,000 of them without another round trip. Never the secret; the prefix shows at most
 * eight characters of it (src/shared/token-prefix.ts). Every mutation returns the changed token's DTO, so the window
 * patches one row instead of reloading the list.
 */
export interface TokenDto {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  prefix: string | null;
  type: string | null;
  scopes: string[];
  hasSecret: boolean;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  usageCount: number | null;
  workspaceName: string;
  providerKind: ProviderKind;
  notes: string | null;
  rotationPolicy: RotationPolicy | null;
  /** Expiry as the reminder engine sees it (warning ladder applied). */
  expiry: 'never' | 'ok' | 'warning' | 'expired';
  /** The rotation policy says it is time (and the token is not snoozed or replaced). */
  rotationDue: boolean;
  /** Local date (YYYY-MM-DD) the next rotation is due, when a policy applies. */
  rotationDueOn: string | null;
  snoozedUntil: string | null;
  /** Set while a rotation waits for "deployed": the new token's id. */
  replacedById: string | null;
}

const Id = z.string().min(1).max(100);

export const CreateTokenInput = z
  .object({
    workspaceId: Id,
    name: z.string().trim().min(1, 'Give the token a name.').max(255),
    description: z.string().max(1000).optional(),
    /** ISO date; null = never expires (where the service allows). */
    expiresAt: z.string().max(40).nullable().optional(),
    /** A preset id from the provider's capabilities (`7d`, `30d`, `never`...). */
    expiryPreset: z.string().max(20).optional(),
    type: z.string().max(100).optional(),
    scopes: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();

/** Channels for token operations at the service (create, regenerate, revoke, activate/deactivate). */
export const tokenOperationChannels = {
  /** The one-time reveal: the only answers besides rotation and an explicit reveal that carry a secret. */
  'tokens:create': returns<IssuedSecret<TokenDto>>().takes(CreateTokenInput, MUTATES),
  'tokens:regenerate': returns<IssuedSecret<TokenDto>>().takes(z.object({ tokenId: Id, expiresAt: z.string().max(40).nullable().optional() }).strict(), MUTATES),
  'tokens:revoke': returns<TokenDto>().takes(z.object({ tokenId: Id }).strict(), MUTATES),
  'tokens:set-active': returns<TokenDto>().takes(z.object({ tokenId: Id, active: z.boolean() }).strict(), MUTATES),
} as const;

export interface TokensChangedEvent {
  /** The changed tokens as they are now; null when too many changed (a sync, an import, new settings): reload. */
  tokens: TokenDto[] | null;
  /** Tokens that no longer exist. */
  removedIds: string[];
}

export interface TokenOperationEvents {
  /**
   * After every mutating call (see define-channel.ts), once: the reminders are already refreshed (badge, tray,
   * notifications). Stores patch their rows from it instead of reloading each other.
   */
  'tokens:changed': TokensChangedEvent;
}
