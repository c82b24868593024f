import { z } from 'zod';
import { MUTATES, returns } from './define-channel';

/**
 * Expiry warnings and rotation reminders: what the badges, the Attention view, the sidebar counts, the tray and the
 * unlock summary show. Everything here is computed from clear columns, so `reminders:get-summary` answers while the
 * vault is locked too. Never a name or a secret: the renderer joins ids to the token summaries it already has.
 */
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

/**
 * Why a token is in the Attention list; one per token, the most urgent first in this order: expired, member removed
 * (a member who could read it left its share: rotate it), two secrets (concurrent edits on two devices: pick one),
 * expiring, rotation due.
 */
export const ATTENTION_REASONS = ['expired', 'member-removed', 'two-secrets', 'expiring', 'rotation-due'] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

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
  memberRemoved: number;
  twoSecrets: number;
  /** The sum of the five reasons: what the badge and the tray show. */
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

export const SnoozeInput = z
  .object({
    tokenId: z.string().min(1).max(200),
    /** `1d`, `7d`, `2w`, or a local date `YYYY-MM-DD` (the reminder comes back at the start of that day). */
    for: z.string().min(2).max(10),
  })
  .strict();

export const TokenIdsInput = z.object({ tokenIds: z.array(z.string().min(1).max(200)).max(500) }).strict();
export const TokenIdInput = z.object({ tokenId: z.string().min(1).max(200) }).strict();

export const remindersChannels = {
  /** Counts (total, per workspace) and the due list, most urgent first. Works while locked. */
  'reminders:get-summary': returns<ReminderSummary>().takes(z.undefined()),
  /** Badges for the cards on screen (at most 500 ids per call). */
  'reminders:get-tokens': returns<TokenReminder[]>().takes(TokenIdsInput),
  /** Hides a token's reminders until the returned instant (never past its expiry while it still works). */
  'reminders:snooze-token': returns<{ tokenId: string; snoozedUntil: string }>().takes(SnoozeInput, MUTATES),
  'reminders:unsnooze-token': returns<{ tokenId: string }>().takes(TokenIdInput, MUTATES),
  /** The user rotated the token outside Token Vault: the rotation clock restarts today. */
  'reminders:mark-rotated': returns<{ tokenId: string; lastRotatedAt: string }>().takes(TokenIdInput, MUTATES),
} as const;

export interface RemindersEvents {
  /** Counts changed without a request (a day passed, a threshold was crossed): refetch the summary. After a change
   * made through a request, `tokens:changed` says it instead. */
  'reminders:changed': { counts: AttentionCounts };
}
