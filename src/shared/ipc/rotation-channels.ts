import { z } from 'zod';
import { returns } from './define-channel';

/**
 * Rotation: "rotate now" and the steps after it. The one-time reveal receives `secret` here and nowhere else.
 * `renewed`: the service renewed the token in place (Strapi regenerate, GitLab rotate, Cloudflare roll); the old
 * secret stopped working at once. `awaiting-confirmation`: a new token was created beside the old one; deploy it, then
 * confirm, and the old one is revoked. `manual`: no admin API; create it on the service's page and paste it.
 */
export type RotationOutcome =
  | {
      kind: 'renewed';
      method: 'regenerate' | 'rotate' | 'roll';
      tokenId: string;
      secret: string;
      expiresAt: string | null;
      /** Strapi: regenerate keeps the old expiry; a new lifetime needs a new token. */
      keptExpiry: boolean;
      notes: string[];
    }
  | {
      kind: 'awaiting-confirmation';
      oldTokenId: string;
      newTokenId: string;
      secret: string;
      expiresAt: string | null;
      notes: string[];
    }
  | { kind: 'manual'; tokenId: string; tokenPageUrl: string | null; notes: string[] };

export interface ConfirmOutcome {
  oldTokenId: string;
  newTokenId: string;
  /** `revoked` now, `scheduled` after a grace period, `revoke-by-hand` for manual workspaces. */
  state: 'revoked' | 'scheduled' | 'revoke-by-hand';
  revokeAt: string | null;
  message: string;
}

export type RotationReportState =
  | 'completed'
  | 'awaiting-confirmation'
  | 'awaiting-secret'
  | 'scheduled'
  | 'needs-attention';

/** One unfinished rotation, as `resume` or the Attention view explains it. */
export interface RotationReport {
  rotationId: string;
  tokenId: string;
  /** The journal step it stopped at (`renew-requested`, `created`, ...). */
  step: string;
  state: RotationReportState;
  /** Exactly what happened and what is left to do; never a secret. */
  message: string;
  /** Present when resume just issued a new secret (shown once). */
  secret?: string;
  newTokenId?: string;
}

const Id = z.string().min(1).max(200);

export const RotateInput = z
  .object({
    tokenId: Id,
    /** A new expiry where the service takes one with its rotate (GitLab) or for the new token (create-new flow). */
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const ConfirmRotationInput = z
  .object({
    /** The old or the new token of the rotation. */
    tokenId: Id,
    /** Keep the old token working this many days more before revoking it. */
    graceDays: z.number().int().min(0).max(365).optional(),
  })
  .strict();

export const PasteRotationInput = z
  .object({
    tokenId: Id,
    secret: z.string().min(1).max(16_384),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const rotationChannels = {
  'rotation:rotate-token': returns<RotationOutcome>().takes(RotateInput),
  'rotation:paste-secret': returns<RotationOutcome>().takes(PasteRotationInput),
  'rotation:confirm-deployed': returns<ConfirmOutcome>().takes(ConfirmRotationInput),
  'rotation:resume-all': returns<RotationReport[]>().takes(z.undefined()),
  'rotation:list-pending': returns<RotationReport[]>().takes(z.undefined()),
} as const;
