import { describe, expect, it } from 'vitest';
import type { TimerPort } from '../../../../src/main/use-cases/ports';
import { ShareSyncScheduler, SHARE_SYNC_INTERVAL_MS } from '../../../../src/main/use-cases/sharing/share-sync-scheduler';
import type { SyncAllResult } from '../../../../src/main/use-cases/sharing';

/** Timers driven by the test: `tick()` fires every interval that is set. */
function manualTimers() {
  const active = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const port: TimerPort = {
    every: (ms, fn) => {
      const id = next++;
      active.set(id, { fn, ms });
      return () => void active.delete(id);
    },
  };
  return { port, active, tick: () => [...active.values()].forEach((t) => t.fn()) };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('sync on unlock and every 5 minutes while unlocked', () => {
  it('syncs at start, on every tick, never after stop; the interval is five minutes', async () => {
    const timers = manualTimers();
    let rounds = 0;
    const seen: SyncAllResult[][] = [];
    const s = new ShareSyncScheduler({
      timer: timers.port,
      syncAll: async () => {
        rounds++;
        return [{ team: 't', ok: false, error: { code: 'network', message: 'offline' } }];
      },
      onRound: (r) => seen.push(r),
    });
    s.start();
    await flush();
    expect(rounds).toBe(1);
    expect([...timers.active.values()].map((t) => t.ms)).toEqual([SHARE_SYNC_INTERVAL_MS]);
    timers.tick();
    await flush();
    expect(rounds).toBe(2);
    expect(seen).toHaveLength(2);
    s.stop();
    expect(timers.active.size).toBe(0);
    timers.tick();
    await flush();
    expect(rounds).toBe(2);
    expect(s.started).toBe(false);
  });

  it('never runs two rounds at once: a tick during a round is dropped and syncNow joins the running one', async () => {
    const timers = manualTimers();
    let rounds = 0;
    let release: () => void = () => undefined;
    const s = new ShareSyncScheduler({
      timer: timers.port,
      syncAll: () => {
        rounds++;
        return new Promise<SyncAllResult[]>((resolve) => (release = () => resolve([])));
      },
    });
    s.start();
    const joined = s.syncNow();
    timers.tick();
    expect(rounds).toBe(1);
    release();
    await expect(joined).resolves.toEqual([]);
    // once it ended, the next syncNow is a round of its own
    const second = s.syncNow();
    expect(rounds).toBe(2);
    release();
    await second;
    s.stop();
  });

  it('a round that fails as a whole is reported and does not stop the schedule', async () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    let fail = true;
    const s = new ShareSyncScheduler({
      timer: timers.port,
      syncAll: async () => {
        if (fail) throw new Error('locked meanwhile');
        return [];
      },
      onError: (e) => errors.push(e),
    });
    s.start();
    await flush();
    expect(errors).toHaveLength(1);
    fail = false;
    timers.tick();
    await flush();
    expect(errors).toHaveLength(1);
    expect(s.started).toBe(true);
    s.stop();
  });
});
