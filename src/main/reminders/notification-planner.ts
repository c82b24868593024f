import { normalizeLadder, toMs } from './reminder-engine';
import type { TokenReminder } from './reminder-types';

/**
 * "One desktop notification per threshold crossed, remembered across restarts" as a pure function.
 *
 * Each token carries the markers of what was already notified (persisted by the vault in clear text: they hold only
 * dates and ladder steps). A marker names the expiry it belongs to (`expiry:<ms>:7`, `expiry:<ms>:expired`) or the
 * rotation due day (`rotation:2026-05-01`), so a renewed token (new expiry, new due day) starts a fresh ladder and
 * stale markers are dropped. Every step reached so far is marked at once, so a token that crossed 30, 7 and 1 while
 * the app was closed gets ONE notification (the most urgent) and nothing at the next start.
 */

export type NotifiedMarkers = Readonly<Record<string, readonly string[]>>;

export interface PlannedNotification {
  /** The token the notification is about; null for a grouped one. */
  tokenId: string | null;
  title: string;
  body: string;
}

export interface NotificationPlan {
  notifications: PlannedNotification[];
  /** Token id -> the full marker list to persist now (only tokens whose markers changed). */
  markers: Record<string, string[]>;
}

export interface PlanOptions {
  /** The ladder a token without its own uses (to mark every step above the current one). */
  warningDays: readonly number[];
  /** Per-token ladders (the same overrides the engine saw). */
  tokenWarningDays?: (tokenId: string) => readonly number[] | null | undefined;
  /** A human label ("ci-deploy in acme-gitlab") when the vault is unlocked; without it the text stays generic. */
  describe?: (tokenId: string) => string | undefined;
  /** Above this many, one grouped notification replaces them (a first start with a large vault). */
  maxIndividual?: number;
}

type About = 'expiry' | 'rotation' | 'member-removed' | 'two-secrets';

function reachedMarkers(r: TokenReminder, ladder: readonly number[]): { expiry: string[]; rotation: string[]; sharing: string[] } {
  const expiry: string[] = [];
  const rotation: string[] = [];
  // Sharing: one notification per removal (marked by its instant), and one per "two secrets" episode.
  const sharing: string[] = [];
  if (r.reason === 'member-removed' && r.deadline !== null) sharing.push(`member-removed:${toMs(r.deadline)}`);
  if (r.reason === 'two-secrets') sharing.push('two-secrets');
  const e = r.expiry;
  if (e.kind === 'warning' || e.kind === 'expired') {
    const key = e.expiresAt === null ? 'none' : String(toMs(e.expiresAt));
    const current = e.kind === 'expired' ? -1 : e.threshold;
    for (const step of ladder) if (step >= current) expiry.push(`expiry:${key}:${step}`);
    if (e.kind === 'expired') expiry.push(`expiry:${key}:expired`);
  }
  if (r.rotation.kind === 'due') rotation.push(`rotation:${r.rotation.dueOn}`);
  return { expiry, rotation, sharing };
}

function textFor(r: TokenReminder, about: About, label: string | undefined): { title: string; body: string } {
  const who = label ?? 'A token';
  const open = label ? '' : ' Open Token Vault to see which one.';
  if (about === 'rotation') {
    return { title: 'Token rotation due', body: `${who} is due for rotation.${open}` };
  }
  if (about === 'member-removed') {
    return { title: 'Rotate: a member was removed', body: `${who} could be read by a member who has left the share. Rotate it.${open}` };
  }
  if (about === 'two-secrets') {
    return { title: 'Two secrets: pick one', body: `${who} was given two different secrets on two devices. Pick the right one.${open}` };
  }
  const e = r.expiry;
  if (e.kind === 'expired') return { title: 'Token expired', body: `${who} has expired.${open}` };
  if (e.kind === 'warning') {
    const when = e.daysLeft <= 0 ? 'today' : e.daysLeft === 1 ? 'tomorrow' : `in ${e.daysLeft} days`;
    return { title: `Token expires ${when}`, body: `${who} expires ${when}.${open}` };
  }
  return { title: 'Token needs attention', body: `${who} needs attention.${open}` };
}

/**
 * Given the due list (snoozed tokens are already left out) and what was notified before, the notifications to show
 * now and the markers to persist. Persist the markers BEFORE or together with showing, so a crash never repeats them.
 */
export function planNotifications(due: readonly TokenReminder[], notified: NotifiedMarkers, options: PlanOptions): NotificationPlan {
  const individual: PlannedNotification[] = [];
  const markers: Record<string, string[]> = {};
  for (const r of due) {
    const ladder = normalizeLadder(options.tokenWarningDays?.(r.tokenId) ?? options.warningDays);
    const reached = reachedMarkers(r, ladder);
    const all = [...reached.expiry, ...reached.rotation, ...reached.sharing];
    if (all.length === 0) continue;
    const before = new Set(notified[r.tokenId] ?? []);
    const newExpiry = reached.expiry.some((m) => !before.has(m));
    const newRotation = reached.rotation.some((m) => !before.has(m));
    const newSharing = reached.sharing.some((m) => !before.has(m));
    if (!newExpiry && !newRotation && !newSharing) continue;
    // Keep only markers of the current expiry and due day: old ones can never match again.
    const kept = [...before].filter((m) => all.includes(m));
    markers[r.tokenId] = [...new Set([...kept, ...all])].sort();
    // Sharing markers exist only for those two reasons, and they are what the token is listed for.
    const about: About = newSharing ? (r.reason === 'two-secrets' ? 'two-secrets' : 'member-removed') : newExpiry ? 'expiry' : 'rotation';
    individual.push({ tokenId: r.tokenId, ...textFor(r, about, options.describe?.(r.tokenId)) });
  }
  const max = options.maxIndividual ?? 3;
  if (individual.length <= max) return { notifications: individual, markers };
  return {
    notifications: [
      {
        tokenId: null,
        title: `${individual.length} tokens need attention`,
        body: 'Some tokens have expired, expire soon, are due for rotation or need a choice. Open Token Vault to see the list.',
      },
    ],
    markers,
  };
}
