/**
 * The facts the reminder engine reads. All of them are clear columns of the vault (ids, status, dates, policy numbers,
 * snooze), so reminders and counts work while the vault is locked; no name, no secret.
 * Instants are ISO 8601 strings or epoch milliseconds.
 */
export type Instant = string | number | Date;

/** Same shape as the vault's RotationPolicy, so `Vault.listReminderFacts()` feeds the engine as is. */
export interface RotationPolicy {
  /** Rotate every N calendar days (local time zone). */
  rotateEveryDays: number;
  /**
   * `issue`: counted from the token's creation (a native regenerate keeps the token, so it keeps its age).
   * `last-rotation`: counted from the last rotation, or creation when never rotated.
   */
  basis: 'issue' | 'last-rotation';
}

/** Structurally the vault's ReminderFacts: clear columns only. */
export interface ReminderTokenFacts {
  id: string;
  workspaceId: string;
  /** Vault status: `active`, `inactive`, `expired`, `revoked`, `revoked-remote`. Revoked ones never remind. */
  status: string;
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
