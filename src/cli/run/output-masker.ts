import { MultiPatternMatcher } from '../../main/use-cases/scan/multi-pattern-matcher';
import { encodedForms } from '../../main/use-cases/scan/secret-encodings';
import { CONCEALED } from '../../shared/scan';

export { CONCEALED };
const MARKER = Buffer.from(CONCEALED, 'utf8');

/**
 * A held-back partial match at least this long is let out on flush as the marker, never as itself: the first
 * MIN_IDENTIFYING_BYTES - 1 bytes of a secret (mostly a well-known prefix such as `glpat`) are the most that can reach
 * the output however slowly the secret is written. Shorter partial matches are mostly ordinary words and go through.
 */
export const MIN_IDENTIFYING_BYTES = 6;

/** A covered byte range of the stream (absolute offsets); `shown` once its marker went out. */
interface Cover {
  start: number;
  end: number;
  shown: boolean;
}

/**
 * Replaces every occurrence of the secrets (and their encoded forms, see secret-encodings.ts) in one output stream by
 * `<concealed by token-vault>`, however the stream is cut into chunks: it holds back only the trailing bytes that
 * could still be the start of a secret (the matcher's depth), and everything else goes out at once. Overlapping
 * occurrences become one marker; adjacent ones, one each. Bytes are never decoded, so colours, binary output and
 * broken UTF-8 pass through unchanged.
 *
 * `flush()` lets the held-back bytes out (idle, or end of stream). A partial match shorter than MIN_IDENTIFYING_BYTES
 * goes out as it is; a longer one goes out as the marker, and the rest of that secret is swallowed as it arrives (no
 * second marker when it completes). If the output turns out not to be the secret, what follows the marker is shown.
 */
/**
 * One automaton per list of secrets, built at the first output and shared by a run's streams (stdout and stderr):
 * a command that prints nothing, like most of those `run` starts, never pays for it.
 */
const matchers = new WeakMap<readonly string[], MultiPatternMatcher>();
function matcherFor(secrets: readonly string[]): MultiPatternMatcher {
  let matcher = matchers.get(secrets);
  if (!matcher) matchers.set(secrets, (matcher = new MultiPatternMatcher(secrets.flatMap((s) => encodedForms(s).map((f) => f.bytes)))));
  return matcher;
}

export class OutputMasker {
  private built: MultiPatternMatcher | null = null;
  private state = MultiPatternMatcher.START;
  /** Bytes read so far. */
  private pos = 0;
  /** Bytes already turned into output. */
  private emitted = 0;
  /** The bytes from `emitted` to `pos`. */
  private pending: Buffer = Buffer.alloc(0);
  private covers: Cover[] = [];
  /** The partial match last flushed as a marker: [from, to) absolute; `to` is where output stood afterwards. */
  private concealedPrefix: { from: number; to: number } | null = null;

  constructor(private readonly secrets: readonly string[]) {}

  private get matcher(): MultiPatternMatcher {
    return (this.built ??= matcherFor(this.secrets));
  }

  /** How many bytes are held back right now. */
  get held(): number {
    return this.pos - this.emitted;
  }

  /** Takes a chunk of the child's output; returns what can be shown now. */
  write(chunk: Uint8Array): Buffer {
    const base = this.pos;
    const lengths = this.matcher.lengths;
    this.state = this.matcher.scan(chunk, 0, chunk.length, this.state, (p, end) => {
      const start = base + end - (lengths[p] as number);
      this.cover(Math.max(this.emitted, start), base + end, this.continuesConcealedPrefix(start));
    });
    this.pos += chunk.length;
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    return this.emitUpTo(Math.max(this.emitted, this.pos - this.matcher.depthOf(this.state)));
  }

  /** Everything held back (idle or end of stream); a long partial match as the marker. */
  flush(): Buffer {
    if (this.pos === this.emitted) return Buffer.alloc(0);
    const depth = this.matcher.depthOf(this.state);
    if (depth >= MIN_IDENTIFYING_BYTES && this.pos > this.emitted) {
      const start = this.pos - depth;
      this.cover(Math.max(this.emitted, start), this.pos, this.continuesConcealedPrefix(start));
      this.concealedPrefix = { from: start, to: this.pos };
    }
    return this.emitUpTo(this.pos);
  }

  /** Whether a (partial) match starting at `start` is the one whose marker already went out, nothing shown since. */
  private continuesConcealedPrefix(start: number): boolean {
    const c = this.concealedPrefix;
    return c !== null && c.to === this.emitted && start >= c.from && start < c.to;
  }

  private cover(start: number, end: number, alreadyShown = false): void {
    // Matches arrive in order of their end, so only the last covers can overlap this one.
    let s = start;
    let shown = alreadyShown;
    for (let last = this.covers.at(-1); last && last.end > s; last = this.covers.at(-1)) {
      s = Math.min(s, last.start);
      shown ||= last.shown;
      this.covers.pop();
    }
    this.covers.push({ start: s, end, shown });
  }

  private emitUpTo(limit: number): Buffer {
    if (limit <= this.emitted) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let cursor = this.emitted;
    const rel = (abs: number) => abs - this.emitted;
    while (this.covers.length > 0 && (this.covers[0] as Cover).start < limit) {
      const c = this.covers[0] as Cover;
      if (c.start > cursor) parts.push(this.pending.subarray(rel(cursor), rel(c.start)));
      if (!c.shown) parts.push(MARKER);
      c.shown = true;
      cursor = Math.max(cursor, Math.min(c.end, limit));
      if (c.end <= limit) this.covers.shift();
      else break;
    }
    if (cursor < limit) parts.push(this.pending.subarray(rel(cursor), rel(limit)));
    this.pending = this.pending.subarray(rel(limit));
    this.emitted = limit;
    return parts.length === 1 ? Buffer.from(parts[0] as Buffer) : Buffer.concat(parts);
  }
}
