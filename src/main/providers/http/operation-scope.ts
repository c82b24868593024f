/**
 * One user-visible operation at a service (create a token, sync a workspace): every request it makes shares this
 * scope. It makes the operation's waits observable (a 429's Retry-After, a pause between retries: the window counts
 * them down) and the operation abortable (a request not yet sent is never sent; one under way is dropped).
 */
export interface OperationListener {
  /** The next request goes out at `until` (epoch ms); null: the wait is over. */
  waiting(until: number | null): void;
  /** The operation can no longer be cancelled (see `shield`). */
  shielded(): void;
}

/** Waits shorter than this pass unannounced: a countdown that ends before it is read only flickers. */
export const ANNOUNCED_WAIT_MS = 1000;

export class OperationScope {
  private readonly controller = new AbortController();
  private isShielded = false;

  constructor(private readonly listener: OperationListener = { waiting: () => undefined, shielded: () => undefined }) {}

  /** The signal requests must follow; none once shielded. */
  get signal(): AbortSignal | undefined {
    return this.isShielded ? undefined : this.controller.signal;
  }

  get cancellable(): boolean {
    return !this.isShielded && !this.controller.signal.aborted;
  }

  /** Aborts every request of the operation that is waiting or under way; false when it cannot be cancelled now. */
  cancel(): boolean {
    if (!this.cancellable) return false;
    this.controller.abort();
    return true;
  }

  /**
   * From now on, cancelling no longer aborts this operation's requests. A create whose request went out before the
   * cancel may have issued a secret: the tokens must still be listed to find it (reconciled as a lost answer), and
   * the user's cancel must not abort that listing.
   */
  shield(): void {
    if (this.isShielded) return;
    this.isShielded = true;
    this.listener.shielded();
  }

  /** Called by the HTTP client around every pause it takes before a request. */
  waiting(until: number | null): void {
    this.listener.waiting(until);
  }
}
