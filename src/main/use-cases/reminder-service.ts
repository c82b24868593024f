import type { ReminderSummary, TokenReminder } from '../../shared/ipc/reminders-channels';
import type { RotationPolicy } from '../../shared/rotation-policy';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { planNotifications, type PlannedNotification } from '../reminders/notification-planner';
import { emptyCounts, evaluateToken, summarize } from '../reminders/reminder-engine';
import { DEFAULT_WARN_DAYS, type ReminderPolicies } from '../reminders/reminder-types';
import { parseSnoozeSpec, snoozeFrom } from '../reminders/snooze';
import { isValidTimeZone } from '../reminders/zoned-days';
import type { Vault } from '../vault';
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
      const settings = vault.settings.get();
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
      counts: emptyCounts(),
      byWorkspace: {},
      due: [],
    };
    if (!vault) return { ...empty, today: this.clock.now().toISOString().slice(0, 10) };
    return summarize(vault.tokens.reminderFacts(), this.policies(vault), this.clock.now());
  }

  private summaryWithLadders(vault: Vault): { summary: ReminderSummary; ladders: Map<string, number[] | null> } {
    const facts = vault.tokens.reminderFacts();
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
      .tokens.reminderFacts()
      .filter((f) => wanted.has(f.id))
      .map((f) => evaluateToken(f, policies, now));
  }

  /**
   * Recomputes, updates the badge, sends the notifications now due and (`announce`, the default) tells the renderer
   * with `reminders:changed` when the counts moved. The timer announces; the after-change path (ipc/after-change.ts)
   * does not, because its one `tokens:changed` event already tells the window.
   */
  refresh(options: { announce?: boolean } = {}): { summary: ReminderSummary; notifications: PlannedNotification[] } {
    const vault = this.options.vault();
    // Without a notifier (the command line) nothing is shown, so nothing may be marked as notified either.
    if (!vault || !this.options.notifier) return { summary: this.summary(), notifications: [] };
    const { summary, ladders } = this.summaryWithLadders(vault);
    const notified: Record<string, string[]> = {};
    for (const m of vault.notifications.list()) (notified[m.tokenId] ??= []).push(m.threshold);
    const plan = planNotifications(summary.due, notified, {
      warningDays: this.policies(vault).warningDays,
      tokenWarningDays: (id) => ladders.get(id),
      describe: (id) => this.describe(vault, id),
    });
    const at = this.clock.now();
    // Persist first: a crash between the two loses a notification, never repeats one.
    for (const [tokenId, markers] of Object.entries(plan.markers)) {
      const before = new Set(notified[tokenId] ?? []);
      for (const m of markers) if (!before.has(m)) vault.notifications.mark(tokenId, m, at);
      for (const m of before) if (!markers.includes(m)) vault.notifications.clear(tokenId, m);
    }
    for (const n of plan.notifications) this.options.notifier?.notify(n.title, n.body);
    this.options.notifier?.setAttentionCount(summary.counts.total);
    const moved = summary.counts.total !== this.lastTotal || plan.notifications.length > 0;
    this.lastTotal = summary.counts.total;
    if (moved && options.announce !== false) this.options.emit?.('reminders:changed', { counts: summary.counts });
    return { summary, notifications: plan.notifications };
  }

  /** Re-runs refresh every `intervalMs` (default 15 min) so thresholds crossed while the app runs are noticed. */
  start(intervalMs = 15 * 60_000): void {
    this.stop();
    const tick = () => this.refreshSafely();
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
    const token = vault.tokens.get(tokenId);
    let until: string;
    try {
      until = snoozeFrom(this.clock.now(), parsed, this.timeZone, token.expiresAt);
    } catch {
      throw new AppFailure('invalid-argument', 'A snooze must end in the future.');
    }
    vault.tokens.update(tokenId, { snoozedUntil: until }, 'reminders');
    return { tokenId, snoozedUntil: until };
  }

  unsnooze(tokenId: string): { tokenId: string } {
    this.unlocked().tokens.update(tokenId, { snoozedUntil: null }, 'reminders');
    return { tokenId };
  }

  markRotated(tokenId: string): { tokenId: string; lastRotatedAt: string } {
    const vault = this.unlocked();
    const at = this.clock.now().toISOString();
    vault.tokens.update(tokenId, { lastRotatedAt: at, snoozedUntil: null });
    vault.audit.append({ action: 'rotated', tokenId, actor: 'reminders', detail: 'marked as rotated by the user' });
    return { tokenId, lastRotatedAt: at };
  }

  /**
   * refresh() that never throws: the change before it succeeded, and the next tick catches up if this one fails.
   * The timer calls it; so does the after-change path, without the announcement.
   */
  refreshSafely(options: { announce?: boolean } = {}): void {
    try {
      this.refresh(options);
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
      const t = vault.tokens.get(tokenId);
      const ws = vault.workspaces.find(t.workspaceId);
      return ws ? `"${t.name}" in ${ws.name}` : `"${t.name}"`;
    } catch {
      return undefined;
    }
  }
}
