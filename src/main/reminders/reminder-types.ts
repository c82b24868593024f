/**
 * The facts the reminder engine reads. All of them are clear columns of the vault (ids, status, dates, policy numbers,
 * snooze), so reminders and counts work while the vault is locked; no name, no secret.
 * Instants are ISO 8601 strings or epoch milliseconds.
 */
export type Instant = string | number;

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

export type ExpiryState =
  | { kind: 'never' }
  | { kind: 'ok'; expiresAt: string }
  /** `threshold`: the smallest ladder step reached (7 when 3 days are left on a 30/7/1 ladder). */
  | { kind: 'warning'; expiresAt: string; daysLeft: number; threshold: number }
  /** `expiresAt` null when the service says expired without a date. */
  | { kind: 'expired'; expiresAt: string | null; daysAgo: number | null };

export type RotationState =
  | { kind: 'none' }
  | { kind: 'scheduled'; dueOn: string; dueAt: string; daysLeft: number; everyDays: number }
  | { kind: 'due'; dueOn: string; dueAt: string; overdueDays: number; everyDays: number };

/** Why a token is in the Attention list; one per token, the most urgent. */
export type AttentionReason = 'expired' | 'expiring' | 'rotation-due';

export interface TokenReminder {
  tokenId: string;
  workspaceId: string;
  expiry: ExpiryState;
  rotation: RotationState;
  /** The most urgent reason, or null when the token needs nothing. */
  reason: AttentionReason | null;
  /** The instant the reason is about (expiry, or the start of the rotation due day). */
  deadline: string | null;
  /** The reason is hidden until this instant (still shown on the card, left out of lists, counts, notifications). */
  snoozedUntil: string | null;
}

export interface AttentionCounts {
  expired: number;
  expiring: number;
  rotationDue: number;
  /** expired + expiring + rotationDue: what the badge and the tray show. */
  total: number;
  snoozed: number;
}

export interface ReminderSummary {
  /** Local date the summary was computed for, `YYYY-MM-DD`. */
  today: string;
  timeZone: string;
  counts: AttentionCounts;
  byWorkspace: Record<string, AttentionCounts>;
  /** Tokens needing attention, not snoozed: expired first, then soonest deadline. */
  due: TokenReminder[];
}
