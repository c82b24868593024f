import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, filterTokens, indexTokens, nameKey, sortTokens, type FilterResult } from '../../src/renderer/src/lib/token-query';
import type { TokenDto } from '../../src/shared/ipc/tokens-channels';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const day = (n: number) => new Date(NOW + n * 86_400_000).toISOString();

function token(id: string, patch: Partial<TokenDto>): TokenDto {
  return {
    id,
    workspaceId: 'ws-1',
    workspaceName: 'acme-infra',
    providerKind: 'gitlab',
    name: id,
    description: null,
    notes: null,
    prefix: 'glpat-',
    type: null,
    scopes: [],
    hasSecret: true,
    status: 'active',
    createdAt: day(-100),
    expiresAt: null,
    lastUsedAt: null,
    usageCount: null,
    rotationPolicy: null,
    expiry: 'never',
    rotationDue: false,
    rotationDueOn: null,
    snoozedUntil: null,
    replacedById: null,
    ...patch,
  } as TokenDto;
}

const tokens = [
  token('deploy-10', { expiresAt: day(30), createdAt: day(-5), lastUsedAt: day(-1) }),
  token('deploy-9', { expiresAt: day(30), createdAt: day(-50) }),
  token('Backup', { expiresAt: day(-2), description: 'nightly ledger export' }),
  token('canary', { expiresAt: null, createdAt: day(-1), lastUsedAt: day(-3), workspaceId: 'ws-2', workspaceName: 'globex' }),
  token('revoked-one', { status: 'revoked', expiresAt: day(5) }),
];
const index = indexTokens(tokens);
const names = (list: TokenDto[]) => list.map((t) => t.name);
const run = (q: Partial<typeof EMPTY_QUERY>) => {
  const query = { ...EMPTY_QUERY, ...q };
  return names(filterTokens(index, sortTokens(index, query.sort, NOW), query, NOW).tokens);
};

describe('finding tokens in the list', () => {
  it('sorts by expiry, soonest first, never last, ties by a natural name order; ended (expired, revoked) tokens last', () => {
    expect(run({ sort: 'expiry' })).toEqual(['deploy-9', 'deploy-10', 'canary', 'Backup', 'revoked-one']);
  });

  it('sorts by name ignoring case and accents and comparing numbers as numbers, ended tokens last', () => {
    expect(run({ sort: 'name' })).toEqual(['canary', 'deploy-9', 'deploy-10', 'Backup', 'revoked-one']);
    expect(['Zeta', 'élan', 'Alpha-10', 'alpha-2'].map(nameKey).sort()).toEqual(['Alpha-10', 'alpha-2', 'élan', 'Zeta'].map(nameKey).sort());
    expect(['Zeta', 'élan', 'Alpha-10', 'alpha-2'].sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1))).toEqual(['alpha-2', 'Alpha-10', 'élan', 'Zeta']);
  });

  it('sorts by created and by last used, newest first, never used last', () => {
    expect(run({ sort: 'created' })[0]).toBe('canary');
    expect(run({ sort: 'created' }).slice(-2)).toEqual(['Backup', 'revoked-one']);
    expect(run({ sort: 'last-used' }).slice(0, 2)).toEqual(['deploy-10', 'canary']);
  });

  it('searches name, workspace and description case-insensitively', () => {
    expect(run({ text: 'LEDGER' })).toEqual(['Backup']);
    expect(run({ text: 'globex' })).toEqual(['canary']);
  });

  it('treats an active token past its expiry as expired, and filters by workspace and expiry window', () => {
    expect(run({ status: 'expired' })).toEqual(['Backup']);
    expect(run({ status: 'active' })).toEqual(['deploy-9', 'deploy-10', 'canary']);
    expect(run({ workspaceId: 'ws-2' })).toEqual(['canary']);
    expect(run({ expiringWithinDays: 7 })).toEqual(['revoked-one']);
  });

  it('a keystroke that adds letters scans only the previous matches, with the same answer as a full scan', () => {
    const order = sortTokens(index, 'expiry', NOW);
    const first: FilterResult = filterTokens(index, order, { ...EMPTY_QUERY, text: 'de' }, NOW);
    expect(names(first.tokens)).toEqual(['deploy-9', 'deploy-10']);
    const narrowed = filterTokens(index, order, { ...EMPTY_QUERY, text: 'deploy-1' }, NOW, first);
    expect(names(narrowed.tokens)).toEqual(['deploy-10']);
    // Deleting a letter, or changing a filter, scans everything again.
    expect(names(filterTokens(index, order, { ...EMPTY_QUERY, text: 'd' }, NOW, narrowed).tokens)).toEqual(['deploy-9', 'deploy-10', 'Backup', 'revoked-one']);
    expect(names(filterTokens(index, order, { ...EMPTY_QUERY, text: 'de', workspaceId: 'ws-2' }, NOW, first).tokens)).toEqual([]);
  });
});
