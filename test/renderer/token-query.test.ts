import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, filterTokens, indexTokens, sortTokens } from '../../src/renderer/src/lib/token-query';
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
  return names(filterTokens(index, sortTokens(index, query.sort), query, NOW));
};

describe('finding tokens in the list', () => {
  it('sorts by expiry, soonest first, never last, ties by a natural name order', () => {
    expect(run({ sort: 'expiry' })).toEqual(['Backup', 'revoked-one', 'deploy-9', 'deploy-10', 'canary']);
  });

  it('sorts by name ignoring case and comparing numbers as numbers', () => {
    expect(run({ sort: 'name' })).toEqual(['Backup', 'canary', 'deploy-9', 'deploy-10', 'revoked-one']);
  });

  it('sorts by created and by last used, newest first, never used last', () => {
    expect(run({ sort: 'created' })[0]).toBe('canary');
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
});
