import { systemTimer, type TimerPort } from '../ports';
import type { SyncAllResult } from './sharing-engine';

export const SHARE_SYNC_INTERVAL_MS = 5 * 60_000;

export interface ShareSyncSchedulerOptions {
  /** Syncs every share of the open vault (each one's result or error); never throws for one share's failure. */
  syncAll: () => Promise<SyncAllResult[]>;
  /** The use cases' one timer port (the app passes Node's, tests a hand-driven one). */
  timer?: TimerPort;
  intervalMs?: number;
  /** After each round (the window refreshes, reminders are recounted). Never throws into the scheduler. */
  onRound?: (results: SyncAllResult[]) => void;
  /** A round that failed as a whole (the vault locked meanwhile, git missing): logged by the caller. */
  onError?: (error: unknown) => void;
}

/**
 * "Sync on unlock and every 5 minutes while unlocked" (issue 14): `start` at unlock syncs at once and then on the
 * interval; `stop` at lock cancels the timer. A round never overlaps the previous one: a tick that comes while a
 * round runs is dropped, and `syncNow` while one runs returns that round.
 */
export class ShareSyncScheduler {
  private readonly timer: TimerPort;
  private readonly intervalMs: number;
  private cancel: (() => void) | null = null;
  private running: Promise<SyncAllResult[]> | null = null;

  constructor(private readonly options: ShareSyncSchedulerOptions) {
    this.timer = options.timer ?? systemTimer;
    this.intervalMs = options.intervalMs ?? SHARE_SYNC_INTERVAL_MS;
  }

  get started(): boolean {
    return this.cancel !== null;
  }

  /** Syncs now, then every interval until `stop`. Starting again restarts the interval. */
  start(): void {
    this.stop();
    this.cancel = this.timer.every(this.intervalMs, () => void this.round().catch(() => undefined));
    void this.round().catch(() => undefined);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** One round now (or the one running). Errors of the round as a whole are thrown here and passed to onError. */
  syncNow(): Promise<SyncAllResult[]> {
    return this.round();
  }

  private round(): Promise<SyncAllResult[]> {
    if (this.running) return this.running;
    const run = (async () => {
      try {
        const results = await this.options.syncAll();
        try {
          this.options.onRound?.(results);
        } catch (error) {
          this.options.onError?.(error);
        }
        return results;
      } catch (error) {
        this.options.onError?.(error);
        throw error;
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }
}
