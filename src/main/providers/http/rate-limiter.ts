/**
 * A token bucket per workspace: `perSecond` refill, `burst` capacity. A 429's Retry-After pauses the whole bucket,
 * so the next requests wait instead of hammering a service that already said no.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = Date.now();
  }

  /**
   * Waits for a slot. Callers are served in order (the chain), so no request starves. `onWait` hears when the slot
   * comes later than `announceMs` from now (a Retry-After pause, also one a request queued behind others waits for),
   * with the time it comes. An aborted caller leaves the queue at once, without taking a slot.
   */
  acquire(signal?: AbortSignal, onWait?: (until: number) => void, announceMs = 1000): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (onWait && this.pausedUntil - Date.now() >= announceMs) onWait(this.pausedUntil);
    const next = this.queue.then(() => this.take(signal, onWait, announceMs));
    // A rejected wait (aborted) must not break the chain for the others.
    this.queue = next.catch(() => undefined);
    if (!signal) return next;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      next.then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
    this.tokens = 0;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private async take(signal?: AbortSignal, onWait?: (until: number) => void, announceMs = 1000): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = Date.now();
      if (now < this.pausedUntil) {
        if (onWait && this.pausedUntil - now >= announceMs) onWait(this.pausedUntil);
        await sleep(this.pausedUntil - now, signal);
        this.last = Date.now();
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const wait = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
      if (onWait && wait >= announceMs) onWait(now + wait);
      await sleep(wait, signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One bucket per workspace id, shared by every client of that workspace in this process. */
const buckets = new Map<string, TokenBucket>();

export function bucketFor(workspaceId: string, perSecond: number, burst: number): TokenBucket {
  const key = `${workspaceId}:${perSecond}:${burst}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(perSecond, burst);
    buckets.set(key, bucket);
  }
  return bucket;
}
