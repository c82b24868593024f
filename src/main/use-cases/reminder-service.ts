import type { ReminderSummary, TokenReminder } from '../../shared/ipc/reminders-channels';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { evaluateToken, summarize } from '../reminders/reminder-engine';
import { DEFAULT_WARN_DAYS, type ReminderPolicies, type RotationPolicy } from '../reminders/reminder-types';
import { planNotifications, type PlannedNotification } from '../reminders/notification-planner';
import { parseSnoozeSpec, snoozeFrom } from '../reminders/snooze';
import { isValidTimeZone } from '../reminders/zoned-days';
import type { Vault } from '../vault/vault';
import { systemClock, type Clock, type EmitEvent, type NotifierPort } from './ports';

const log = createLogger('reminders');

export interface ReminderServiceOptions {
  /** The open vault, locked or not; undefined before one exists. */
  vault: () => Vault | undefined;
  notifier?: NotifierPort;
  emit?: EmitEvent;
  clock?: Clock;
  /** IANA zone; default the system's. */
  timeZone?: string;
  /** Applies where neither the token nor its workspace has a policy; default: the vault's `rotationPolicy` setting. */
  globalRotation?: RotationPolicy | null;
}

export const systemTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Runs the pure reminder engine over the vault's clear columns and tells the desktop: the badge/tray count, one
 * notification per threshold crossed (markers persisted in the vault BEFORE the notification is shown, so a crash or
 * a restart never repeats one), and `reminders:changed` for the renderer. Works while the vault is locked; then the
 * notification text is generic because names are encrypted.
 */
export class ReminderService {
  private timer: NodeJS.Timeout | undefined;
  private lastTotal = -1;
  private readonly clock: Clock;
  private readonly timeZone: string;

  constructor(private readonly options: ReminderServiceOptions) {
    this.clock = options.clock ?? systemClock;
    const tz = options.timeZone ?? systemTimeZone();
    this.timeZone = isValidTimeZone(tz) ? tz : 'UTC';
  }

  policies(vault: Vault): ReminderPolicies {
    let warningDays: readonly number[] = DEFAULT_WARN_DAYS;
    let globalRotation: RotationPolicy | null = null;
    try {
      const settings = vault.getSettings();
      warningDays = settings.warningDays;
      globalRotation = settings.rotationPolicy;
    } catch {
      // Settings unreadable: the default ladder is better than no reminders.
    }
    // An explicit option (tests, embedders) overrides the vault's setting.
    if (this.options.globalRotation !== undefined) globalRotation = this.options.globalRotation;
    return { timeZone: this.timeZone, warningDays, globalRotation };
  }

  summary(): ReminderSummary {
    const vault = this.options.vault();
    const empty: ReminderSummary = {
      today: '',
      timeZone: this.timeZone,
      counts: { expired: 0, expiring: 0, rotationDue: 0, total: 0, snoozed: 0 },
      byWorkspace: {},
      due: [],
    };
    if (!vault) return { ...empty, today: this.clock.now().toISOString().slice(0, 10) };
    return summarize(vault.listReminderFacts(), this.policies(vault), this.clock.now());
  }

  private summaryWithLadders(vault: Vault): { summary: ReminderSummary; ladders: Map<string, number[] | null> } {
    const facts = vault.listReminderFacts();
    const ladders = new Map<string, number[] | null>();
    for (const f of facts) if (f.warningDays) ladders.set(f.id, f.warningDays);
    return { summary: summarize(facts, this.policies(vault), this.clock.now()), ladders };
  }

  tokens(tokenIds: readonly string[]): TokenReminder[] {
    const vault = this.options.vault();
    if (!vault) return [];
    const wanted = new Set(tokenIds);
    const policies = this.policies(vault);
    const now = this.clock.now();
    return vault
      .listReminderFacts()
      .filter((f) => wanted.has(f.id))
      .map((f) => evaluateToken(f, policies, now));
  }

  /**
   * Recomputes, updates the badge, sends the notifications now due and tells the renderer. Call at start, after
   * unlock, after any token change, and on a timer (start()).
   */
  refresh(): { summary: ReminderSummary; notifications: PlannedNotification[] } {
    const vault = this.options.vault();
    // Without a notifier (the command line) nothing is shown, so nothing may be marked as notified either.
    if (!vault || !this.options.notifier) return { summary: this.summary(), notifications: [] };
    const { summary, ladders } = this.summaryWithLadders(vault);
    const notified: Record<string, string[]> = {};
    for (const m of vault.listNotified()) (notified[m.tokenId] ??= []).push(m.threshold);
    const plan = planNotifications(summary.due, notified, {
      warningDays: this.policies(vault).warningDays,
      tokenWarningDays: (id) => ladders.get(id),
      describe: (id) => this.describe(vault, id),
    });
    const at = this.clock.now();
    // Persist first: a crash between the two loses a notification, never repeats one.
    for (const [tokenId, markers] of Object.entries(plan.markers)) {
      const before = new Set(notified[tokenId] ?? []);
      for (const m of markers) if (!before.has(m)) vault.markNotified(tokenId, m, at);
      for (const m of before) if (!markers.includes(m)) vault.clearNotified(tokenId, m);
    }
    for (const n of plan.notifications) this.options.notifier?.notify(n.title, n.body);
    this.options.notifier?.setAttentionCount(summary.counts.total);
    if (summary.counts.total !== this.lastTotal || plan.notifications.length > 0) {
      this.lastTotal = summary.counts.total;
      this.options.emit?.('reminders:changed', { counts: summary.counts });
    }
    return { summary, notifications: plan.notifications };
  }

  /** Re-runs refresh every `intervalMs` (default 15 min) so thresholds crossed while the app runs are noticed. */
  start(intervalMs = 15 * 60_000): void {
    this.stop();
    const tick = () => this.changed();
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  snooze(tokenId: string, spec: string): { tokenId: string; snoozedUntil: string } {
    const vault = this.unlocked();
    const parsed = parseSnoozeSpec(spec);
    if (!parsed) throw new AppFailure('invalid-argument', `Snooze for 1d, 7d, 2w or until a date YYYY-MM-DD (not "${spec}").`);
    const token = vault.getToken(tokenId);
    let until: string;
    try {
      until = snoozeFrom(this.clock.now(), parsed, this.timeZone, token.expiresAt);
    } catch {
      throw new AppFailure('invalid-argument', 'A snooze must end in the future.');
    }
    vault.updateToken(tokenId, { snoozedUntil: until }, 'reminders');
    this.changed();
    return { tokenId, snoozedUntil: until };
  }

  unsnooze(tokenId: string): { tokenId: string } {
    this.unlocked().updateToken(tokenId, { snoozedUntil: null }, 'reminders');
    this.changed();
    return { tokenId };
  }

  markRotated(tokenId: string): { tokenId: string; lastRotatedAt: string } {
    const vault = this.unlocked();
    const at = this.clock.now().toISOString();
    vault.updateToken(tokenId, { lastRotatedAt: at, snoozedUntil: null });
    vault.appendAudit({ action: 'rotated', tokenId, actor: 'reminders', detail: 'marked as rotated by the user' });
    this.changed();
    return { tokenId, lastRotatedAt: at };
  }

  /**
   * Something changed tokens (a rotation, an edit, an unlock): refresh the counts and notifications now. Never throws:
   * the change itself succeeded, and the next tick catches up if this refresh fails.
   */
  changed(): void {
    try {
      this.refresh();
    } catch (error) {
      log.warn('reminder refresh failed', { error: String(error) });
    }
  }

  private unlocked(): Vault {
    const vault = this.options.vault();
    if (!vault) throw new AppFailure('vault-missing', 'There is no vault yet. Create one first.');
    if (!vault.isUnlocked) throw new AppFailure('vault-locked', 'The vault is locked. Unlock it first.');
    return vault;
  }

  private describe(vault: Vault, tokenId: string): string | undefined {
    if (!vault.isUnlocked) return undefined;
    try {
      const t = vault.getToken(tokenId);
      const ws = vault.findWorkspace(t.workspaceId);
      return ws ? `"${t.name}" in ${ws.name}` : `"${t.name}"`;
    } catch {
      return undefined;
    }
  }
}
