import type { TokenViewDto } from '../../../shared/ipc/token-view-channels';

export type StatusFilter = 'all' | 'active' | 'inactive' | 'expired' | 'revoked' | 'revoked-remote';
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

export const STATUS_LABELS: Record<TokenViewDto['status'], string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  revoked: 'Revoked',
  'revoked-remote': 'Revoked at the service',
};

/** A token past its expiry is Expired whatever the last sync said. */
export const effectiveStatus = (t: TokenViewDto, now: number): TokenViewDto['status'] =>
  t.status === 'active' && t.expiresAt !== null && Date.parse(t.expiresAt) <= now ? 'expired' : t.status;

/**
 * The lowercase text each token is searched by, computed once per list load so a keystroke is one `includes` per
 * token (50,000 of them in well under a frame).
 */
export const searchTextOf = (t: TokenViewDto): string =>
  [t.name, t.workspaceName, t.description ?? '', t.prefix ?? '', t.type ?? '', t.scopes.join(' '), t.providerKind].join('\u0001').toLowerCase();

const MAX = Number.MAX_SAFE_INTEGER;
const timeOr = (iso: string | null, fallback: number) => (iso === null ? fallback : Date.parse(iso));

const compare: Record<SortKey, (a: TokenViewDto, b: TokenViewDto) => number> = {
  // Soonest expiry first; never-expiring last.
  expiry: (a, b) => timeOr(a.expiresAt, MAX) - timeOr(b.expiresAt, MAX) || a.name.localeCompare(b.name),
  name: (a, b) => a.name.localeCompare(b.name),
  // Newest first.
  created: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  // Most recently used first; never used last.
  'last-used': (a, b) => timeOr(b.lastUsedAt, -1) - timeOr(a.lastUsedAt, -1),
};

/** Sorted copies per key, computed lazily and reused until the token list changes. */
export function sortTokens(tokens: readonly TokenViewDto[], sort: SortKey): TokenViewDto[] {
  return [...tokens].sort(compare[sort]);
}

/** Filters an already sorted list; `haystack` holds searchTextOf() per token id. */
export function filterTokens(sorted: readonly TokenViewDto[], haystack: ReadonlyMap<string, string>, q: TokenQuery, now: number): TokenViewDto[] {
  const text = q.text.trim().toLowerCase();
  const horizon = q.expiringWithinDays === null ? null : now + q.expiringWithinDays * 86_400_000;
  const out: TokenViewDto[] = [];
  for (const t of sorted) {
    if (q.workspaceId !== null && t.workspaceId !== q.workspaceId) continue;
    if (q.status !== 'all' && effectiveStatus(t, now) !== q.status) continue;
    if (q.rotationDue && !t.rotationDue) continue;
    if (horizon !== null && (t.expiresAt === null || Date.parse(t.expiresAt) > horizon || Date.parse(t.expiresAt) < now)) continue;
    if (text && !(haystack.get(t.id) ?? '').includes(text)) continue;
    out.push(t);
  }
  return out;
}
