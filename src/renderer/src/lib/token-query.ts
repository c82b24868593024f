import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { TokenStatus } from '../../../shared/token-status';

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
 * Everything a sort or a keystroke needs, derived once per list load: the lowercase search text, a natural-order
 * name key, and the expiry as a number, aligned with `tokens`. A keystroke is then one `includes` per token and a
 * sort compares numbers and plain strings, with no date parsing and no Intl call in the hot loops. The other dates
 * are parsed the first time a sort asks for them.
 */
export interface TokenIndex {
  tokens: readonly TokenDto[];
  text: readonly string[];
  /** Lowercase names (quick open ranks name matches first). */
  names: readonly string[];
  /** Names folded for a natural order: lowercase, accents dropped, digit runs padded ("deploy-9" < "deploy-10"). */
  nameKeys: readonly string[];
  /** Expiry in ms; +Infinity = never expires. */
  expires: Float64Array;
  /** 1 for revoked (here or at the service) and service-expired tokens: listed after the live ones. */
  revoked: Uint8Array;
  /** Parsed on first use by sortTokens. */
  lazy: { created?: Float64Array; lastUsed?: Float64Array };
}

const DIGITS = /\d+/g;
const NON_ASCII = /[^ -~]/;
const MARKS = /\p{M}/gu;
const pad = (digits: string) => digits.padStart(12, '0');

/** Natural, case- and accent-insensitive order with plain string comparison (an Intl.Collator per compare is ~50x slower). */
export function nameKey(name: string): string {
  let key = name.toLowerCase();
  if (NON_ASCII.test(key)) key = key.normalize('NFD').replace(MARKS, '');
  return key.replace(DIGITS, pad);
}

export function indexTokens(tokens: readonly TokenDto[]): TokenIndex {
  const n = tokens.length;
  const text = new Array<string>(n);
  const names = new Array<string>(n);
  const nameKeys = new Array<string>(n);
  const expires = new Float64Array(n);
  const revoked = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const name = t.name.toLowerCase();
    names[i] = name;
    nameKeys[i] = nameKey(t.name);
    text[i] = `${name}\u0001${t.workspaceName}\u0001${t.description ?? ''}\u0001${t.prefix ?? ''}\u0001${t.type ?? ''}\u0001${t.scopes.join(' ')}\u0001${t.providerKind}`.toLowerCase();
    expires[i] = t.expiresAt === null ? Infinity : Date.parse(t.expiresAt);
    revoked[i] = t.status === 'revoked' || t.status === 'revoked-remote' || t.status === 'expired' ? 1 : 0;
  }
  return { tokens, text, names, nameKeys, expires, revoked, lazy: {} };
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

/** What a filter pass produced, kept so the next keystroke that only adds letters scans these rows instead of all. */
export interface FilterResult {
  tokens: TokenDto[];
  /** Positions into the index, in list order. */
  positions: Uint32Array;
  query: TokenQuery;
  order: Uint32Array;
  now: number;
}

/** The tokens in `order` that pass the query; `previous` narrows the scan when the text only grew. */
export function filterTokens(index: TokenIndex, order: Uint32Array, q: TokenQuery, now: number, previous?: FilterResult): FilterResult {
  const text = q.text.trim().toLowerCase();
  const horizon = q.expiringWithinDays === null ? null : now + q.expiringWithinDays * 86_400_000;
  const prev = previous;
  const narrowing =
    prev !== undefined &&
    prev.order === order &&
    prev.now === now &&
    prev.query.workspaceId === q.workspaceId &&
    prev.query.status === q.status &&
    prev.query.expiringWithinDays === q.expiringWithinDays &&
    prev.query.rotationDue === q.rotationDue &&
    text.includes(prev.query.text.trim().toLowerCase());
  const scan = narrowing ? prev.positions : order;
  const out: TokenDto[] = [];
  const positions = new Uint32Array(scan.length);
  let kept = 0;
  for (let k = 0; k < scan.length; k++) {
    const i = scan[k]!;
    const t = index.tokens[i];
    if (!t) continue;
    if (text && !(index.text[i] ?? '').includes(text)) continue;
    if (!narrowing) {
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
