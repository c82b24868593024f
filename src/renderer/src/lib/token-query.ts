import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { TokenStatus } from '../../../shared/token-status';
import { isEnded, urgencyOf } from './expiry-signal';

export type StatusFilter = 'all' | TokenStatus;
export type SortKey = 'expiry' | 'name' | 'created' | 'last-used';

export interface TokenQuery {
  text: string;
  workspaceId: string | null;
  status: StatusFilter;
  /** Only tokens expiring within this many days (null = any). */
  expiringWithinDays: number | null;
  rotationDue: boolean;
  sort: SortKey;
}

export const EMPTY_QUERY: TokenQuery = { text: '', workspaceId: null, status: 'all', expiringWithinDays: null, rotationDue: false, sort: 'expiry' };

export const STATUS_LABELS: Record<TokenStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  revoked: 'Revoked',
  'revoked-remote': 'Revoked at the service',
};

/** A token past its expiry is Expired whatever the last sync said. */
export const effectiveStatus = (t: Pick<TokenDto, 'status' | 'expiresAt'>, now: number): TokenStatus =>
  t.status === 'active' && t.expiresAt !== null && Date.parse(t.expiresAt) <= now ? 'expired' : t.status;

/**
 * Everything a sort or a keystroke needs, derived once per list load: a natural-order name key and the expiry as a
 * number, aligned with `tokens`, so a sort compares numbers and plain strings, with no date parsing and no Intl call
 * in the hot loops. The search text and the other dates are built the first time something asks for them
 * (`searchText`, `sortTokens`): the first rows are on screen before the search text exists.
 */
export interface TokenIndex {
  tokens: readonly TokenDto[];
  /** Lowercase names (quick open ranks name matches first). */
  names: readonly string[];
  /** Names folded for a natural order: lowercase, accents dropped, digit runs padded ("deploy-9" < "deploy-10"). */
  nameKeys: readonly string[];
  /** Expiry in ms; +Infinity = never expires. */
  expires: Float64Array;
  /** 1 for revoked (here or at the service) and service-expired tokens: listed after the live ones. */
  revoked: Uint8Array;
  /** How many tokens each workspace id holds (the sidebar's counts), counted in the same pass. */
  workspaceCounts: ReadonlyMap<string, number>;
  /** Built on first use (sortTokens, searchText, rowOf). */
  lazy: { created?: Float64Array; lastUsed?: Float64Array; search?: SearchText; positions?: Map<string, number> };
}

/**
 * Every token's searchable fields, lowercase, in ONE string (tokens in index order, separated by NUL), and where
 * each token's part starts. A search is then a few `indexOf` calls over one flat string instead of one `includes`
 * per token: no per-token string is touched, which at 50,000 tokens visited in list order (scattered in memory) was
 * most of a keystroke's cost.
 */
export interface SearchText {
  text: string;
  /** starts[i] = offset of token i's part; starts[n] = text.length + 1. */
  starts: Uint32Array;
}

const SEPARATOR = '\u0000';

function searchFields(t: TokenDto): string {
  return `${t.name}\u0001${t.workspaceName}\u0001${t.description ?? ''}\u0001${t.prefix ?? ''}\u0001${t.type ?? ''}\u0001${t.scopes.join(' ')}\u0001${t.providerKind}`.replaceAll(SEPARATOR, ' ');
}

/** The index's search text, built once (the vault screen builds it right after the first rows are painted). */
export function searchText(index: TokenIndex): SearchText {
  const cached = index.lazy.search;
  if (cached) return cached;
  const n = index.tokens.length;
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = searchFields(index.tokens[i]!);
  const joined = parts.join(SEPARATOR);
  let text = joined.toLowerCase();
  // Lowercasing can change a string's length (a dotted capital I becomes two code units): then lowercase part by
  // part, so the offsets below stay true.
  if (text.length !== joined.length) {
    for (let i = 0; i < n; i++) parts[i] = parts[i]!.toLowerCase();
    text = parts.join(SEPARATOR);
  }
  const starts = new Uint32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = at;
    at += parts[i]!.length + 1;
  }
  starts[n] = at;
  const search = { text, starts };
  index.lazy.search = search;
  return search;
}

/**
 * Gets the index ready for typing, in a task after the first rows are painted: builds the search text, then runs one
 * filter pass for a single letter (nearly every token matches one: the costliest keystroke) and drops its answer, so
 * V8 has compiled what a keystroke runs before the first one comes. Cold, the first keystroke at 50,000 tokens took
 * twice as long as the next ones.
 */
export function prepareSearch(index: TokenIndex, order: Uint32Array, now: number): void {
  if (index.lazy.search) return; // ready since this list came
  searchText(index);
  filterTokens(index, order, { ...EMPTY_QUERY, text: 'e' }, now);
}

/** 1 for each token (index order) whose search text contains `needle` (already trimmed and lowercase, not empty). */
export function textMatches(index: TokenIndex, needle: string): Uint8Array {
  const { text, starts } = searchText(index);
  const matches = new Uint8Array(index.tokens.length);
  // No token's part holds the separator, so a needle with it matches nothing (and cannot span two tokens).
  if (needle.includes(SEPARATOR)) return matches;
  let token = 0;
  let at = text.indexOf(needle);
  while (at !== -1) {
    while ((starts[token + 1] ?? Infinity) <= at) token++;
    matches[token] = 1;
    // The rest of this token cannot add anything: go on from the next token's start.
    at = text.indexOf(needle, starts[token + 1] ?? text.length);
  }
  return matches;
}

const NON_ASCII = /[^ -~]/;
const MARKS = /\p{M}/gu;
const DIGIT_WIDTH = 12;
const ZEROS = '0'.repeat(DIGIT_WIDTH);

/**
 * Natural, case- and accent-insensitive order with plain string comparison (an Intl.Collator per compare is ~50x
 * slower): lowercase, accents dropped, each run of digits padded to 12 ("deploy-9" < "deploy-10"). The runs are found
 * by hand: a replace with a callback per run was half of indexing 10,000 names.
 */
export const nameKey = (name: string): string => keyOfLowercase(name.toLowerCase());

/** nameKey of a name already in lower case. */
function keyOfLowercase(lower: string): string {
  let key = lower;
  if (NON_ASCII.test(key)) key = key.normalize('NFD').replace(MARKS, '');
  let out = '';
  let from = 0;
  for (let i = 0; i < key.length; i++) {
    if (!isDigit(key.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < key.length && isDigit(key.charCodeAt(end))) end++;
    out += key.slice(from, i) + ZEROS.slice(0, Math.max(0, DIGIT_WIDTH - (end - i)));
    from = i;
    i = end - 1;
  }
  return from === 0 && out === '' ? key : out + key.slice(from);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

export function indexTokens(tokens: readonly TokenDto[]): TokenIndex {
  const n = tokens.length;
  const names = new Array<string>(n);
  const nameKeys = new Array<string>(n);
  const expires = new Float64Array(n);
  const revoked = new Uint8Array(n);
  const workspaceCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    workspaceCounts.set(t.workspaceId, (workspaceCounts.get(t.workspaceId) ?? 0) + 1);
    const name = t.name.toLowerCase();
    names[i] = name;
    nameKeys[i] = keyOfLowercase(name);
    expires[i] = t.expiresAt === null ? Infinity : Date.parse(t.expiresAt);
    revoked[i] = t.status === 'revoked' || t.status === 'revoked-remote' || t.status === 'expired' ? 1 : 0;
  }
  return { tokens, names, nameKeys, expires, revoked, workspaceCounts, lazy: {} };
}

export const EMPTY_INDEX: TokenIndex = indexTokens([]);

function dates(index: TokenIndex, which: 'created' | 'lastUsed'): Float64Array {
  const cached = index.lazy[which];
  if (cached) return cached;
  const out = new Float64Array(index.tokens.length);
  index.tokens.forEach((t, i) => {
    const iso = which === 'created' ? t.createdAt : t.lastUsedAt;
    // Never used sorts last in "most recently used first".
    out[i] = iso === null ? -Infinity : Date.parse(iso);
  });
  index.lazy[which] = out;
  return out;
}

/**
 * The order of the list for a sort key, as positions into `index.tokens`. Live tokens come first and ended ones
 * (revoked, or expired by `now`) last, dimmed; within each part the key decides, ties fall back to the name.
 */
export function sortTokens(index: TokenIndex, sort: SortKey, now: number): Uint32Array {
  const { expires, nameKeys, revoked } = index;
  const n = index.tokens.length;
  const ended = new Uint8Array(n);
  for (let i = 0; i < n; i++) ended[i] = revoked[i] === 1 || (expires[i] ?? Infinity) <= now ? 1 : 0;
  const byName = (a: number, b: number) => {
    const x = nameKeys[a] ?? '';
    const y = nameKeys[b] ?? '';
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  const numeric = (values: Float64Array, direction: 1 | -1) => (a: number, b: number) => {
    const x = values[a] ?? 0;
    const y = values[b] ?? 0;
    return x === y ? byName(a, b) : x < y ? -direction : direction;
  };
  const compare =
    sort === 'expiry' ? numeric(expires, 1) : sort === 'name' ? byName : sort === 'created' ? numeric(dates(index, 'created'), -1) : numeric(dates(index, 'lastUsed'), -1);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => (ended[a]! - ended[b]!) || compare(a, b));
}

/** What a filter pass produced, kept so a later keystroke can start from it (see filterTokens). */
export interface FilterResult {
  tokens: TokenDto[];
  /** Positions into the index, in list order. */
  positions: Uint32Array;
  query: TokenQuery;
  order: Uint32Array;
  now: number;
}

const needleOf = (q: TokenQuery): string => q.text.trim().toLowerCase();

/** Same list, same order, same minute and the same filters apart from the search text. */
const sameBase = (r: FilterResult, order: Uint32Array, q: TokenQuery, now: number): boolean =>
  r.order === order && r.now === now && r.query.workspaceId === q.workspaceId && r.query.status === q.status && r.query.expiringWithinDays === q.expiringWithinDays && r.query.rotationDue === q.rotationDue;

/**
 * The tokens in `order` that pass the query. `previous` are earlier passes (newest first): one with the same text is
 * the answer as it stands (deleting a letter finds the shorter text's answer again); otherwise the one with the
 * longest text the new text contains is the only set worth scanning (typing more letters only narrows).
 */
export function filterTokens(index: TokenIndex, order: Uint32Array, q: TokenQuery, now: number, previous?: FilterResult | readonly FilterResult[]): FilterResult {
  const text = needleOf(q);
  let base: FilterResult | undefined;
  const earlierPasses: readonly FilterResult[] = previous === undefined ? [] : 'positions' in previous ? [previous] : previous;
  for (const r of earlierPasses) {
    if (!sameBase(r, order, q, now)) continue;
    const earlier = needleOf(r.query);
    if (earlier === text) return r.query === q ? r : { ...r, query: q };
    if (text.includes(earlier) && (base === undefined || earlier.length > needleOf(base.query).length)) base = r;
  }
  const horizon = q.expiringWithinDays === null ? null : now + q.expiringWithinDays * 86_400_000;
  const narrowing = base !== undefined;
  const scan = base !== undefined ? base.positions : order;
  const n = index.tokens.length;
  // A few candidates left: test their own text; many: one pass over the whole search text is cheaper.
  const few = narrowing && scan.length * 16 < n;
  const matches = text && !few ? textMatches(index, text) : null;
  const search = text && few ? searchText(index) : null;
  const filtered = q.workspaceId !== null || q.status !== 'all' || q.rotationDue || horizon !== null;
  const out: TokenDto[] = [];
  const positions = new Uint32Array(scan.length);
  let kept = 0;
  for (let k = 0; k < scan.length; k++) {
    const i = scan[k]!;
    const t = index.tokens[i];
    if (!t) continue;
    if (matches && matches[i] !== 1) continue;
    if (search && !search.text.slice(search.starts[i], (search.starts[i + 1] ?? 1) - 1).includes(text)) continue;
    if (!narrowing && filtered) {
      if (q.workspaceId !== null && t.workspaceId !== q.workspaceId) continue;
      const expires = index.expires[i] ?? Infinity;
      if (q.status !== 'all') {
        const status = t.status === 'active' && expires <= now ? 'expired' : t.status;
        if (status !== q.status) continue;
      }
      if (q.rotationDue && !t.rotationDue) continue;
      if (horizon !== null && (expires > horizon || expires < now)) continue;
    }
    out.push(t);
    positions[kept++] = i;
  }
  return { tokens: out, positions: positions.subarray(0, kept), query: q, order, now };
}

/** `recent` with `pass` put first (dropping passes of another list, order or minute, and an older pass of the same query). */
export function rememberPass(recent: readonly FilterResult[], pass: FilterResult, limit = 12): FilterResult[] {
  const text = needleOf(pass.query);
  const kept = recent.filter((r) => r !== pass && r.order === pass.order && r.now === pass.now && !(sameBase(r, pass.order, pass.query, pass.now) && needleOf(r.query) === text));
  return [pass, ...kept].slice(0, limit);
}

/**
 * Where token `id` is in a filter pass's rows, or -1: a lookup and a scan of plain numbers, where a search by id over
 * the rows would read every token object (scattered in memory) at each keystroke while a token is selected.
 */
export function rowOf(index: TokenIndex, pass: Pick<FilterResult, 'positions'>, id: string | null): number {
  if (id === null) return -1;
  let positions = index.lazy.positions;
  if (!positions) {
    positions = new Map(index.tokens.map((t, i) => [t.id, i]));
    index.lazy.positions = positions;
  }
  const position = positions.get(id);
  return position === undefined ? -1 : pass.positions.indexOf(position);
}

const PALETTE_RESULTS = 30;

/**
 * The best few tokens for what was typed: names that start with it, then names that contain it, then any other field
 * (workspace, prefix, description); live tokens before ended ones. One pass over the list index, no sort of the
 * whole list, so it stays instant at 50,000 tokens.
 */
export function paletteMatches(index: TokenIndex, text: string, now: number): TokenDto[] {
  const q = text.trim().toLowerCase();
  const buckets: TokenDto[][] = [[], [], [], [], [], []];
  const n = index.tokens.length;
  // Other fields (workspace, prefix, description): one pass over the index's search text, not one test per token.
  let others: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const t = index.tokens[i]!;
    let rank: number;
    if (q === '') rank = 0;
    else {
      const name = index.names[i] ?? '';
      rank = name.startsWith(q) ? 0 : name.includes(q) ? 1 : (others ??= textMatches(index, q))[i] === 1 ? 2 : -1;
    }
    if (rank < 0) continue;
    if (isEnded(urgencyOf(t, now))) rank += 3;
    const bucket = buckets[rank]!;
    if (bucket.length < PALETTE_RESULTS) bucket.push(t);
    // Enough of the best kind already: nothing later can beat them.
    if (rank === 0 && bucket.length >= PALETTE_RESULTS) break;
  }
  return buckets.flat().slice(0, PALETTE_RESULTS);
}
