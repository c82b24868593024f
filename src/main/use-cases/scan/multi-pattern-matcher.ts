/**
 * Finds many fixed byte strings at once (Aho-Corasick), in one pass, over chunks of a stream or whole buffers.
 *
 * Used twice: `scan` searches every stored secret (10,000 and more) across a file tree, and `run` masks the secrets
 * it resolved in a child's output. Both need the same two things: every occurrence, and how many trailing bytes of
 * what was read so far could still be the start of a pattern (`depthOf`), which is what output masking holds back.
 *
 * Speed: the states nearest the root (the first DENSE_STATES in breadth-first order) get a full 256-entry row, so
 * the common step is one array load; deeper states, almost always a single chain per secret, keep their few
 * children in compact arrays and fall back along failure links. Random secrets fan out within 3-4 bytes, so the
 * dense rows cover nearly every step taken on ordinary text.
 */

/** At most this many states get a dense row (16,384 x 256 x 4 bytes = 16 MiB). */
const DENSE_STATES = 16_384;

/** Called for each occurrence: `end` is the offset just past the match, in the buffer passed to `scan`. */
export type MatchCallback = (patternIndex: number, end: number) => void;

export class MultiPatternMatcher {
  /** Byte length of each pattern (0 for an empty one, which never matches). */
  readonly lengths: Int32Array;
  /** Number of automaton states (a size measure for benchmarks). */
  readonly stateCount: number;
  private readonly denseCount: number;
  private readonly dense: Int32Array;
  private readonly fail: Int32Array;
  private readonly depth: Int32Array;
  private readonly childStart: Int32Array;
  private readonly childLabel: Uint8Array;
  private readonly childTarget: Int32Array;
  /** The pattern that ends exactly at a state, else -1; others with the same bytes follow in `nextSame`. */
  private readonly terminal: Int32Array;
  private readonly nextSame: Int32Array;
  /** The nearest state on the failure chain that ends a pattern, else -1. */
  private readonly dictLink: Int32Array;
  private readonly hasOutput: Uint8Array;

  constructor(patterns: readonly Uint8Array[]) {
    const count = patterns.length;
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    const nextSame = new Int32Array(count).fill(-1);
    this.nextSame = nextSame;

    // 1. A trie from the patterns in sorted order: each new pattern shares its common prefix with the previous one,
    //    so nodes come out in depth-first order with children in increasing byte order, and no lookup is needed.
    const order = [...patterns.keys()].filter((i) => (patterns[i]?.length ?? 0) > 0);
    order.sort((a, b) => Buffer.compare(patterns[a] as Uint8Array, patterns[b] as Uint8Array));
    let total = 1;
    for (const i of order) total += (patterns[i] as Uint8Array).length;
    const parent = new Int32Array(total);
    const label = new Uint8Array(total);
    const nodeDepth = new Int32Array(total);
    const term = new Int32Array(total).fill(-1);
    let nodes = 1;
    let longest = 0;
    for (const n of this.lengths) longest = Math.max(longest, n);
    const path = new Int32Array(longest + 1);
    let prev: Uint8Array | null = null;
    for (const i of order) {
      const p = patterns[i] as Uint8Array;
      let lcp = 0;
      if (prev) while (lcp < p.length && lcp < prev.length && p[lcp] === prev[lcp]) lcp++;
      let node = path[lcp] as number;
      for (let j = lcp; j < p.length; j++) {
        const child = nodes++;
        parent[child] = node;
        label[child] = p[j] as number;
        nodeDepth[child] = j + 1;
        path[j + 1] = child;
        node = child;
      }
      const existing = term[node] as number;
      if (existing < 0) term[node] = i;
      else {
        // Same bytes as an earlier pattern (two tokens holding one secret): chain it.
        let last = existing;
        while ((nextSame[last] as number) >= 0) last = nextSame[last] as number;
        nextSame[last] = i;
      }
      prev = p;
    }
    this.stateCount = nodes;

    // 2. Children lists (CSR) in the trie's numbering, then renumber breadth-first so shallow states come first.
    const kidsOld = new Int32Array(nodes + 1);
    for (let v = 1; v < nodes; v++) kidsOld[(parent[v] as number) + 1] = (kidsOld[(parent[v] as number) + 1] as number) + 1;
    for (let v = 0; v < nodes; v++) kidsOld[v + 1] = (kidsOld[v + 1] as number) + (kidsOld[v] as number);
    const fillAt = kidsOld.slice(0, nodes);
    const kidList = new Int32Array(Math.max(0, nodes - 1));
    for (let v = 1; v < nodes; v++) {
      const p = parent[v] as number;
      kidList[fillAt[p] as number] = v; // increasing v = increasing label
      fillAt[p] = (fillAt[p] as number) + 1;
    }
    const bfs = new Int32Array(nodes);
    const newId = new Int32Array(nodes);
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const u = bfs[head++] as number;
      for (let k = kidsOld[u] as number; k < (kidsOld[u + 1] as number); k++) {
        const v = kidList[k] as number;
        newId[v] = tail;
        bfs[tail++] = v;
      }
    }

    // Locals, not fields, in the hot loops below: a constructor still adding fields is slow to read them from.
    const depth = new Int32Array(nodes);
    const terminal = new Int32Array(nodes);
    const childStart = new Int32Array(nodes + 1);
    const childLabel = new Uint8Array(Math.max(0, nodes - 1));
    const childTarget = new Int32Array(Math.max(0, nodes - 1));
    let c = 0;
    for (let s = 0; s < nodes; s++) {
      const old = bfs[s] as number;
      depth[s] = nodeDepth[old] as number;
      terminal[s] = term[old] as number;
      childStart[s] = c;
      const to = kidsOld[old + 1] as number;
      for (let k = kidsOld[old] as number; k < to; k++) {
        const v = kidList[k] as number;
        childLabel[c] = label[v] as number;
        childTarget[c++] = newId[v] as number;
      }
    }
    childStart[nodes] = c;

    // 3. Failure links, dense rows and output links, breadth-first (a state's failure target is always shallower).
    const denseCount = Math.min(nodes, DENSE_STATES);
    const dense = new Int32Array(denseCount * 256);
    const fail = new Int32Array(nodes);
    const dictLink = new Int32Array(nodes).fill(-1);
    const hasOutput = new Uint8Array(nodes);
    const step = (state: number, b: number): number => {
      let st = state;
      for (;;) {
        if (st < denseCount) return dense[(st << 8) | b] as number;
        const to = childStart[st + 1] as number;
        for (let k = childStart[st] as number; k < to; k++) if (childLabel[k] === b) return childTarget[k] as number;
        st = fail[st] as number;
      }
    };
    for (let u = 0; u < nodes; u++) {
      const from = childStart[u] as number;
      const to = childStart[u + 1] as number;
      if (u < denseCount) {
        const row = u << 8;
        if (u > 0) dense.copyWithin(row, (fail[u] as number) << 8, ((fail[u] as number) << 8) + 256);
        for (let k = from; k < to; k++) dense[row | (childLabel[k] as number)] = childTarget[k] as number;
      }
      for (let k = from; k < to; k++) {
        const v = childTarget[k] as number;
        const f = u === 0 ? 0 : step(fail[u] as number, childLabel[k] as number);
        fail[v] = f;
        dictLink[v] = (terminal[f] as number) >= 0 ? f : (dictLink[f] as number);
        hasOutput[v] = (terminal[v] as number) >= 0 || (dictLink[v] as number) >= 0 ? 1 : 0;
      }
    }
    this.depth = depth;
    this.terminal = terminal;
    this.childStart = childStart;
    this.childLabel = childLabel;
    this.childTarget = childTarget;
    this.denseCount = denseCount;
    this.dense = dense;
    this.fail = fail;
    this.dictLink = dictLink;
    this.hasOutput = hasOutput;
  }

  /** The state before any byte. */
  static readonly START = 0;

  /** How many of the last bytes read could still be the start of a pattern (what a masker must hold back). */
  depthOf(state: number): number {
    return this.depth[state] as number;
  }

  /**
   * Runs bytes `from`..`to` of `buf` through the automaton from `state`, calling `onMatch` for every occurrence
   * (overlapping ones included), and returns the state to continue with on the next chunk.
   */
  scan(buf: Uint8Array, from: number, to: number, state: number, onMatch: MatchCallback): number {
    const dense = this.dense;
    const denseCount = this.denseCount;
    const hasOutput = this.hasOutput;
    let s = state;
    for (let i = from; i < to; i++) {
      const b = buf[i] as number;
      s = s < denseCount ? (dense[(s << 8) | b] as number) : this.step(s, b);
      if (hasOutput[s] !== 0) this.report(s, i + 1, onMatch);
    }
    return s;
  }

  private step(state: number, b: number): number {
    let s = state;
    for (;;) {
      if (s < this.denseCount) return this.dense[(s << 8) | b] as number;
      for (let k = this.childStart[s] as number; k < (this.childStart[s + 1] as number); k++)
        if (this.childLabel[k] === b) return this.childTarget[k] as number;
      s = this.fail[s] as number;
    }
  }

  private report(state: number, end: number, onMatch: MatchCallback): void {
    for (let t = (this.terminal[state] as number) >= 0 ? state : (this.dictLink[state] as number); t >= 0; t = this.dictLink[t] as number)
      for (let p = this.terminal[t] as number; p >= 0; p = this.nextSame[p] as number) onMatch(p, end);
  }
}
