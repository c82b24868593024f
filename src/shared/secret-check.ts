import { z } from 'zod';
import { ERROR_CODES } from './result';

/**
 * What the issuer said when a secret was tried with one cheap authenticated call (PROVIDERS.md table 4.6).
 * `invalid` is said only when the service itself refused the secret; anything we could not tell (a fault, a rate
 * limit, an answer we do not understand) is `unknown`, so a rotation never revokes or rewrites on a guess.
 */

/** Why the issuer refuses the secret. */
export const SECRET_INVALID_REASONS = [
  // wrong, revoked or rotated away: the service does not tell these apart
  'refused',
  'expired',
  // known to the service but switched off (Docker Hub is_active=false, Cloudflare status disabled)
  'inactive',
] as const;

/** Why we could not tell. Never a claim that the secret is bad. */
export const SECRET_UNKNOWN_REASONS = [
  // network, timeout, TLS
  'unreachable',
  'rate-limited',
  'server-error',
  // a status or body the check does not know how to read (an ambiguous 403, a 404, malformed JSON)
  'unexpected-answer',
  // the service has no way to try a secret (manual workspaces)
  'not-checkable',
  // the workspace lacks a setting the check needs (Docker Hub user name, Datadog API key for an app key)
  'needs-setting',
] as const;

export const SecretCheck = z.lazy(() =>
  z.discriminatedUnion('state', [
    z.object({
      state: z.literal('valid'),
      /** Accepted, but not allowed this particular call (a narrow scope: Strapi 403, Gitea missing read:user). */
      limited: z.boolean(),
    }),
    z.object({ state: z.literal('invalid'), reason: z.enum(SECRET_INVALID_REASONS), status: z.number().int().optional() }),
    z.object({
      state: z.literal('unknown'),
      reason: z.enum(SECRET_UNKNOWN_REASONS),
      /** The failure behind it, for the presenter's words (`timeout`, `server-error`...). */
      code: z.enum(ERROR_CODES).optional(),
      status: z.number().int().optional(),
    }),
  ]),
);
export type SecretCheck = z.infer<typeof SecretCheck>;
export type SecretInvalidReason = (typeof SECRET_INVALID_REASONS)[number];
export type SecretUnknownReason = (typeof SECRET_UNKNOWN_REASONS)[number];
