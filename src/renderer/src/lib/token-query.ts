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
export const effectiveStatus = (t: TokenDto, now: number): TokenStatus =>
  t.status === 'active' && t.expiresAt !== null && Date.parse(t.expiresAt) <= now ? 'expired' : t.status;

/**
 * Everything a sort or a keystroke needs, derived once per list load: the lowercase search text and the dates as
 * numbers, aligned with `tokens`. A keystroke is then one `includes` per token and a sort compares numbers, with no
 * date parsing or string building in the hot loops (50,000 tokens well inside a frame).
 */
export interface TokenIndex {
  tokens: readonly TokenDto[];
  text: readonly string[];
  /** Expiry in ms; +Infinity = never expires. */
  expires: Float64Array;
  created: Float64Array;
  /** Last use in ms; -Infinity = never used. */
  lastUsed: Float64Array;
  /** Each token's place in a locale-aware order of names. */
  nameRank: Uint32Array;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const positions = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

export function indexTokens(tokens: readonly TokenDto[]): TokenIndex {
  const n = tokens.length;
  const text: string[] = new Array<string>(n);
  const expires = new Float64Array(n);
  const created = new Float64Array(n);
  const lastUsed = new Float64Array(n);
  tokens.forEach((t, i) => {
    text[i] = [t.name, t.workspaceName, t.description ?? '', t.prefix ?? '', t.type ?? '', t.scopes.join(' '), t.providerKind].join('\u0001').toLowerCase();
    expires[i] = t.expiresAt === null ? Infinity : Date.parse(t.expiresAt);
    created[i] = Date.parse(t.createdAt);
    lastUsed[i] = t.lastUsedAt === null ? -Infinity : Date.parse(t.lastUsedAt);
  });
  const byName = positions(n).sort((a, b) => collator.compare(tokens[a]?.name ?? '', tokens[b]?.name ?? ''));
  const nameRank = new Uint32Array(n);
  byName.forEach((position, rank) => (nameRank[position] = rank));
  return { tokens, text, expires, created, lastUsed, nameRank };
}

export const EMPTY_INDEX: TokenIndex = indexTokens([]);

/** The order of the list for a sort key, as positions into `index.tokens`; ties fall back to the name. */
export function sortTokens(index: TokenIndex, sort: SortKey): Uint32Array {
  const { expires, created, lastUsed, nameRank } = index;
  const byName = (a: number, b: number) => (nameRank[a] ?? 0) - (nameRank[b] ?? 0);
  const numeric = (values: Float64Array, direction: 1 | -1) => (a: number, b: number) => {
    const x = values[a] ?? 0;
    const y = values[b] ?? 0;
    return x === y ? byName(a, b) : x < y ? -direction : direction;
  };
  const compare = {
    // Soonest expiry first; never-expiring last.
    expiry: numeric(expires, 1),
    name: byName,
    // Newest first.
    created: numeric(created, -1),
    // Most recently used first; never used last.
    'last-used': numeric(lastUsed, -1),
  } satisfies Record<SortKey, (a: number, b: number) => number>;
  return positions(index.tokens.length).sort(compare[sort]);
}

/** The tokens in `order` that pass the query. */
export function filterTokens(index: TokenIndex, order: Uint32Array, q: TokenQuery, now: number): TokenDto[] {
  const text = q.text.trim().toLowerCase();
  const horizon = q.expiringWithinDays === null ? null : now + q.expiringWithinDays * 86_400_000;
  const out: TokenDto[] = [];
  for (const i of order) {
    const t = index.tokens[i];
    if (!t) continue;
    if (q.workspaceId !== null && t.workspaceId !== q.workspaceId) continue;
    const expires = index.expires[i] ?? Infinity;
    if (q.status !== 'all') {
      const status = t.status === 'active' && expires <= now ? 'expired' : t.status;
      if (status !== q.status) continue;
    }
    if (q.rotationDue && !t.rotationDue) continue;
    if (horizon !== null && (expires > horizon || expires < now)) continue;
    if (text && !(index.text[i] ?? '').includes(text)) continue;
    out.push(t);
  }
  return out;
}
