import type { RotationPolicy } from '../../shared/rotation-policy';
import type { TokenStatus } from '../../shared/token-status';
/**
 * The facts the reminder engine reads. All of them are clear columns of the vault (ids, status, dates, policy numbers,
 * snooze), so reminders and counts work while the vault is locked; no name, no secret.
 * Instants are ISO 8601 strings or epoch milliseconds.
 */
export type Instant = string | number | Date;


export type { RotationPolicy } from '../../shared/rotation-policy';

/** Structurally the vault's ReminderFacts (`vault.tokens.reminderFacts()`): clear columns only. */
export interface ReminderTokenFacts {
  id: string;
  workspaceId: string;
  /** The token's status (src/shared/token-status.ts); revoked ones never remind. */
  status: TokenStatus;
  createdAt: Instant;
  /** null = never expires. */
  expiresAt: Instant | null;
  lastRotatedAt?: Instant | null;
  /** The token's own policy; null = the workspace's, else the global one. */
  rotationPolicy?: RotationPolicy | null;
  workspaceRotationPolicy?: RotationPolicy | null;
  /** Per-token warning ladder in days before expiry (overrides the default). */
  warningDays?: readonly number[] | null;
  /**
   * Reminders are hidden until this instant. `snoozeFrom` caps a snooze at the token's expiry, so a snooze can never
   * hide the moment a token stops working; snoozing an already expired token hides it for the chosen time.
   */
  snoozedUntil?: Instant | null;
  /** Set on the old token while a rotation waits for "deployed": it reminds nothing, the rotation journal speaks. */
  replacedById?: string | null;
  /**
   * Sharing: when a member who could read this token was last removed from its share. The token is due for rotation
   * ("member removed") until it is rotated after that instant (`lastRotatedAt` later than this).
   */
  memberRemovedAt?: Instant | null;
  /** Sharing: two (or more) secrets were set concurrently on different devices; the user has to pick one. */
  secretConflict?: boolean;
}

export interface ReminderPolicies {
  /** IANA zone the user lives in (`Intl.DateTimeFormat().resolvedOptions().timeZone` in the app). */
  timeZone: string;
  /** Default warning ladder, days before expiry. */
  warningDays: readonly number[];
  /** Applies to tokens whose token and workspace have no policy. */
  globalRotation: RotationPolicy | null;
}

export const DEFAULT_WARN_DAYS: readonly number[] = [30, 7, 1];

export const defaultPolicies = (timeZone: string): ReminderPolicies => ({
  timeZone,
  warningDays: DEFAULT_WARN_DAYS,
  globalRotation: null,
});

// What the engine returns is part of the IPC contract (the renderer shows it), so it lives in src/shared.
export type {
  AttentionCounts,
  AttentionReason,
  ExpiryState,
  ReminderSummary,
  RotationState,
  TokenReminder,
} from '../../shared/ipc/reminders-channels';
