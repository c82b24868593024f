import { z } from 'zod';
import { MAX_SECRET_CHARS } from '../issued-secret';
import type { ErrorCode, NextStep } from '../result';
import { MUTATES, returns } from './define-channel';

/**
 * Rotation: "rotate now" and the steps after it. The one-time reveal receives `secret` here and nowhere else.
 * Everything is structured: the command line and the window each say it in their own words.
 * `renewed`: the service renewed the token in place (Strapi regenerate, GitLab rotate, Cloudflare roll); the old
 * secret stopped working at once. `awaiting-confirmation`: a new token was created (or pasted) beside the old one;
 * deploy it, then confirm, and the old one is revoked. `manual`: no admin API; create it on the service's page and
 * paste it.
 */
export type RotationOutcome =
  | {
      kind: 'renewed';
      method: RenewMethod;
      tokenId: string;
      secret: string;
      expiresAt: string | null;
      /** The service kept the old expiry (Strapi regenerate; a bare answer without a date). */
      keptExpiry: boolean;
      /** The service always keeps the expiry when it renews: a new lifetime needs a new token. */
      renewKeepsExpiry: boolean;
      /** The service's name, as users know it ("GitLab"). */
      service: string;
    }
  | {
      kind: 'awaiting-confirmation';
      oldTokenId: string;
      newTokenId: string;
      secret: string;
      expiresAt: string | null;
      /** The replacement was pasted (manual workspace): the old one must be revoked on the service's page. */
      pasted: boolean;
      next: 'confirm';
    }
  | { kind: 'manual'; tokenId: string; tokenPageUrl: string | null; next: 'paste' };

export type RenewMethod = 'regenerate' | 'rotate' | 'roll';

export interface ConfirmOutcome {
  oldTokenId: string;
  newTokenId: string;
  /** `revoked` now, `scheduled` after a grace period, `revoke-by-hand` for manual workspaces. */
  state: 'revoked' | 'scheduled' | 'revoke-by-hand';
  revokeAt: string | null;
  /** The service's name, as users know it ("GitLab"). */
  service: string;
  /** Manual workspaces: where to revoke the old token by hand. */
  tokenPageUrl: string | null;
}

export type RotationReportState =
  | 'completed'
  | 'awaiting-confirmation'
  | 'awaiting-secret'
  | 'scheduled'
  | 'needs-attention';

/** The journal's steps, per mode, in order (src/main/use-cases/rotation/rotation-journal.ts writes them). */
export const ROTATION_STEPS = {
  native: ['renew-requested', 'renew-issued'],
  replace: ['create-requested', 'created', 'awaiting-confirmation', 'revoke-scheduled', 'revoke-requested'],
  manual: ['awaiting-secret', 'secret-received', 'awaiting-confirmation'],
} as const;
export type RotationMode = keyof typeof ROTATION_STEPS;
export type StepOf<M extends RotationMode> = (typeof ROTATION_STEPS)[M][number];

/** What `resume` found and did, or why a rotation waits; the presenters word it. Never a secret. */
export type RotationFinding =
  /** The service had issued the new secret before the interruption; it is now stored and in use. */
  | { what: 'stored-issued-secret' }
  /** The renew may have reached the service without its answer, so it was renewed again (GitLab: its successor). */
  | { what: 'renewed-again'; method: RenewMethod; successorRemoteId: string | null }
  /** The create's answer was lost, so a replacement was created again (a token nobody held was revoked). */
  | { what: 'created-again'; revokedRemoteId: string | null }
  /** The created token's secret was in the journal; it is now stored. */
  | { what: 'stored-created-token' }
  /** The pasted secret was in the journal; it is now stored. */
  | { what: 'stored-pasted-secret' }
  /** The old token is revoked now (an interrupted revoke, or a grace period that ended). */
  | { what: 'revoked-old'; service: string; afterGrace: boolean }
  /** Several unknown tokens appeared while the create was interrupted: nobody holds their secrets. */
  | { what: 'orphans-found'; service: string; remoteIds: string[] }
  /** GitLab rotate interrupted and no single successor found: the secret is unknown. */
  | { what: 'successor-unknown'; tokenName: string }
  /** A failure stopped the resume; `message` is main's description of it (never a secret). */
  | { what: 'failed'; code: ErrorCode; message: string }
  | { what: 'waiting-for-confirmation' }
  | { what: 'waiting-for-secret'; tokenPageUrl: string | null }
  | { what: 'revoke-scheduled'; revokeAt: string | null }
  /** Stopped between two steps; resume finishes it (`at`: which call or write was interrupted). */
  | { what: 'interrupted'; at: 'renew' | 'store' | 'create' | 'revoke' }
  | { what: 'unreadable' };

/** One unfinished (or just finished) rotation, as `resume`, the Attention view and the unlock dialog explain it. */
export interface RotationReport {
  rotationId: string;
  tokenId: string;
  /** The journal step it stopped at. */
  step: string;
  state: RotationReportState;
  finding: RotationFinding;
  /** What the user must do next, if anything. */
  next: NextStep | null;
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
    secret: z.string().min(1).max(MAX_SECRET_CHARS),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const rotationChannels = {
  'rotation:rotate-token': returns<RotationOutcome>().takes(RotateInput, MUTATES),
  'rotation:paste-secret': returns<RotationOutcome>().takes(PasteRotationInput, MUTATES),
  'rotation:confirm-deployed': returns<ConfirmOutcome>().takes(ConfirmRotationInput, MUTATES),
  'rotation:resume-all': returns<RotationReport[]>().takes(z.undefined(), MUTATES),
  'rotation:list-pending': returns<RotationReport[]>().takes(z.undefined()),
} as const;
