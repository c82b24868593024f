/**
 * The one list of token statuses. Kept free of zod so the vault, the reminder engine, the command line and the
 * renderer all import it without paying for the schemas.
 */

/** What a service says about a token (`revoked` also when the service says so explicitly). */
export const REMOTE_STATUSES = ['active', 'inactive', 'expired', 'revoked'] as const;
export type RemoteStatus = (typeof REMOTE_STATUSES)[number];

/** A token's status in the vault: the service's, or `revoked-remote` when a sync no longer finds it there. */
export const TOKEN_STATUSES = [...REMOTE_STATUSES, 'revoked-remote'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** Final statuses: such a token reminds nothing, rotates no more, and a sync never brings it back. */
export const REVOKED_STATUSES = ['revoked', 'revoked-remote'] as const satisfies readonly TokenStatus[];

export const isRevokedStatus = (status: TokenStatus): boolean => (REVOKED_STATUSES as readonly TokenStatus[]).includes(status);

export const isTokenStatus = (value: unknown): value is TokenStatus => (TOKEN_STATUSES as readonly unknown[]).includes(value);

/**
 * A token's status at `now`: one the service last called active or inactive stops working at its expiry, so from then
 * on it is `expired`; revoked and expired stay as they are. What lists show and filter on.
 */
export function statusAt(token: { status: TokenStatus; expiresAt: string | null }, now: number): TokenStatus {
  if (token.status !== 'active' && token.status !== 'inactive') return token.status;
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= now ? 'expired' : token.status;
}
