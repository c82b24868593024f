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

  /** Waits for a slot. Callers are served in order (the chain), so no request starves. */
  acquire(signal?: AbortSignal): Promise<void> {
    const next = this.queue.then(() => this.take(signal));
    // A rejected wait (aborted) must not break the chain for the others.
    this.queue = next.catch(() => undefined);
    return next;
  }

  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
    this.tokens = 0;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now, signal);
        this.last = Date.now();
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000), signal);
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
