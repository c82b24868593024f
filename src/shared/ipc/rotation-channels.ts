import { z } from 'zod';
import type { DeployProgress, DeployReport } from '../deployment-targets';
import { MAX_SECRET_CHARS } from '../issued-secret';
import type { ErrorCode, NextStep } from '../result';
import type { SecretCheck } from '../secret-check';
import { MUTATES, returns } from './define-channel';

/**
 * Rotation: "rotate now" and the steps after it. The one-time reveal receives `secret` here and nowhere else.
 * Everything is structured: the command line and the window each say it in their own words.
 * `renewed`: the service renewed the token in place (Strapi regenerate, GitLab rotate, Cloudflare roll); the old
 * secret stopped working at once. `awaiting-confirmation`: a new token was created (or pasted) beside the old one;
 * deploy it, then confirm, and the old one is revoked. `manual`: no admin API; create it on the service's page and
 * paste it. `replaced`: a new token was created, written to every deployment target, read back, found working at the
 * service, and the old one revoked (or scheduled to be, after the grace period).
 *
 * `deploy` (null when the token has no deployment targets): each target's result and the issuer's answer for the new
 * secret.
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
      deploy: RotationDeploy | null;
    }
  | {
      kind: 'awaiting-confirmation';
      oldTokenId: string;
      newTokenId: string;
      secret: string;
      expiresAt: string | null;
      /** The replacement was pasted (manual workspace): the old one must be revoked on the service's page. */
      pasted: boolean;
      /** Why the old token was not revoked on its own. */
      waitingBecause: WaitReason;
      deploy: RotationDeploy | null;
      next: 'confirm';
    }
  | {
      kind: 'replaced';
      oldTokenId: string;
      newTokenId: string;
      secret: string;
      expiresAt: string | null;
      deploy: RotationDeploy;
      revoke: RevokeState;
      service: string;
    }
  | { kind: 'manual'; tokenId: string; tokenPageUrl: string | null; next: 'paste' };

/** A rotation's deploy steps: each target's result, and what the issuer said of the new secret (null: not asked). */
export interface RotationDeploy extends DeployReport {
  issuer: SecretCheck | null;
}

/**
 * Why a rotation that made (or was given) a new token waits for "deployed" instead of revoking the old one itself:
 * Token Vault does not know where the token is used (`no-targets`), a target did not take the new secret
 * (`targets-failed`: deploy.targets say which), the service could not say whether the new secret works
 * (`issuer-unknown`: unknown is not valid) or refused it (`issuer-refused`), or the workspace has no admin API
 * (`pasted`: the old one is revoked by hand).
 */
export const WAIT_REASONS = ['no-targets', 'targets-failed', 'issuer-unknown', 'issuer-refused', 'pasted'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** The old token after a rotation that finished on its own. `failed`: the revoke did not go through (resume retries). */
export type RevokeState =
  | { state: 'revoked' }
  | { state: 'scheduled'; revokeAt: string }
  | { state: 'failed'; code: ErrorCode; message: string; next: NextStep };

/** Progress of a rotation's steps after the new secret is stored, while it runs (an event; never a secret). */
export type RotationProgress = { tokenId: string } & ({ step: 'target'; target: DeployProgress } | { step: 'checking-issuer' } | { step: 'revoking' });

/** Events main sends while a rotation runs. */
export interface RotationEvents {
  'rotation:progress': RotationProgress;
}

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
  native: ['renew-requested', 'renew-issued', 'deploy-requested', 'issuer-check-requested'],
  replace: ['create-requested', 'created', 'deploy-requested', 'issuer-check-requested', 'awaiting-confirmation', 'revoke-scheduled', 'revoke-requested'],
  manual: ['awaiting-secret', 'secret-received', 'deploy-requested', 'issuer-check-requested', 'awaiting-confirmation'],
} as const;

/** Steps at which a rotation only waits for the user (the token's secret and targets may be used meanwhile). */
export const WAITING_STEPS: readonly string[] = ['awaiting-confirmation', 'awaiting-secret', 'revoke-scheduled'];
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
  /**
   * The interrupted deploy steps were finished: every target written and read back and the new secret checked at
   * the service (the report's state and `deploy` say what came of it).
   */
  | { what: 'deployed'; then: 'renewed' | 'revoked' | 'scheduled' | 'waiting' | 'revoke-failed'; waitingBecause: WaitReason | null; revokeAt: string | null }
  /** The old token is revoked now (an interrupted revoke, or a grace period that ended). */
  | { what: 'revoked-old'; service: string; afterGrace: boolean }
  /** Several unknown tokens appeared while the create was interrupted: nobody holds their secrets. */
  | { what: 'orphans-found'; service: string; remoteIds: string[] }
  /** GitLab rotate interrupted and no single successor found: the secret is unknown. */
  | { what: 'successor-unknown'; tokenName: string }
  /** A failure stopped the resume; `message` is main's description of it (never a secret). */
  | { what: 'failed'; code: ErrorCode; message: string }
  | { what: 'waiting-for-confirmation'; because: WaitReason | null }
  | { what: 'waiting-for-secret'; tokenPageUrl: string | null }
  | { what: 'revoke-scheduled'; revokeAt: string | null }
  /** Stopped between two steps; resume finishes it (`at`: which call or write was interrupted). */
  | { what: 'interrupted'; at: 'renew' | 'store' | 'create' | 'revoke' | 'deploy' | 'issuer-check' }
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
  /** Present when resume finished deploy steps, or a waiting rotation's deploy left failed targets. */
  deploy?: RotationDeploy;
}

const Id = z.string().min(1).max(200);

export const RotateInput = z
  .object({
    tokenId: Id,
    /** A new expiry where the service takes one with its rotate (GitLab) or for the new token (create-new flow). */
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
    /** Create-new rotations: keep the old token working at least this many days after the rotation starts. */
    graceDays: z.number().int().min(0).max(365).optional(),
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
