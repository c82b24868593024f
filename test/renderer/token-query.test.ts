import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, filterTokens, indexTokens, nameKey, paletteMatches, rememberPass, rowOf, searchText, sortTokens, textMatches, type FilterResult } from '../../src/renderer/src/lib/token-query';
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

  it('builds the same sort key as the rule it states (lowercase, accents dropped, each run of ASCII digits padded to 12), for 100,000 random names', () => {
    const rule = (name: string) => {
      let key = name.toLowerCase();
      if (/[^ -~]/.test(key)) key = key.normalize('NFD').replace(/\p{M}/gu, '');
      return key.replace(/[0-9]+/g, (digits) => digits.padStart(12, '0'));
    };
    // ASCII digits, an Arabic-Indic digit (not a digit to the rule), accents, a dotted capital I (longer in lower case).
    const alphabet = [...'ab09-_ Z1', 'É', '\u0663', 'e\u0301', '\u0130', '\u01c5'];
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const names = ['', '0', '007', 'deploy-9', '1234567890123456', 'x1y22z333', 'a\u01309'];
    for (let i = 0; i < 100_000; i++) names.push(Array.from({ length: Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const wrong = names.filter((n) => nameKey(n) !== rule(n));
    expect(wrong).toEqual([]);
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

  it('finds in the one search text exactly what a test of each token\'s own fields finds', () => {
    // Fields that end or start with the needle, a needle across two fields, Unicode whose lowercase is longer
    // (a dotted capital I), and a separator character in a name.
    const many = [
      token('alpha-1', { description: 'ends with x', scopes: ['api', 'read_repository'] }),
      token('x-starts', { workspaceName: 'İstanbul ops' }),
      token('İİİ-upper', { description: null, prefix: null }),
      token('nul\u0000name', { type: 'personal' }),
      token('plain', { workspaceName: 'globex', providerKind: 'manual' }),
      ...Array.from({ length: 40 }, (_, i) => token(`bulk-${i}`, { description: i % 3 === 0 ? `note ${i}` : null })),
    ];
    const ix = indexTokens(many);
    const fields = (t: TokenDto) => [t.name, t.workspaceName, t.description ?? '', t.prefix ?? '', t.type ?? '', t.scopes.join(' '), t.providerKind].join('\u0001').replaceAll('\u0000', ' ').toLowerCase();
    for (const needle of ['x', 'a', 'i̇', 'i̇i̇', 'istanbul', 'i̇stanbul', 'bulk-1', 'note 3', 'read_repo', 'api', 'manual', 'x\u0001', 'nul name', 'zzz', 'glpat-', '-']) {
      const found = textMatches(ix, needle);
      const expected = many.map((t) => (fields(t).includes(needle) ? 1 : 0));
      expect([...found], needle).toEqual(expected);
    }
    // Nothing matches across two tokens or holds the separator.
    expect([...textMatches(ix, '\u0000')].every((m) => m === 0)).toBe(true);
    const { text, starts } = searchText(ix);
    expect(starts.length).toBe(many.length + 1);
    expect(text.slice(starts[1], starts[2]! - 1)).toBe(fields(many[1]!));
  });

  it('deleting letters finds the earlier answer again, and a changed filter or list is never answered from memory', () => {
    const order = sortTokens(index, 'expiry', NOW);
    const q = (text: string, patch: Partial<typeof EMPTY_QUERY> = {}) => ({ ...EMPTY_QUERY, text, ...patch });
    let recent: FilterResult[] = [];
    const pass = (query: ReturnType<typeof q>, o = order) => {
      const result = filterTokens(index, o, query, NOW, recent);
      recent = rememberPass(recent, result);
      return result;
    };
    const all = pass(q(''));
    const d = pass(q('d'));
    const dep = pass(q('dep'));
    expect(names(dep.tokens)).toEqual(['deploy-9', 'deploy-10']);
    // Back to "d" and to "": the same rows as before, without a new pass.
    const dAgain = pass(q('d'));
    expect(dAgain.positions).toBe(d.positions);
    expect(names(dAgain.tokens)).toEqual(['deploy-9', 'deploy-10', 'Backup', 'revoked-one']);
    expect(pass(q('')).positions).toBe(all.positions);
    // Another workspace, another minute or another order: a fresh pass with its own answer.
    expect(names(pass(q('d', { workspaceId: 'ws-2' })).tokens)).toEqual([]);
    expect(names(filterTokens(index, order, q('d'), NOW + 60_000, recent).tokens)).toEqual(['deploy-9', 'deploy-10', 'Backup', 'revoked-one']);
    const byName = sortTokens(index, 'name', NOW);
    expect(names(pass(q('d'), byName).tokens)).toEqual(run({ text: 'd', sort: 'name' }));
    // The memory holds one pass per query, newest first, and only for the newest order and minute.
    expect(recent.every((r) => r.order === byName)).toBe(true);
    expect(rememberPass(recent, recent[0]!).length).toBe(recent.length);
  });

  it('quick open ranks names that start with the text, then names that contain it, then other fields; ended last', () => {
    const many = [token('ledger-sync', { description: 'deploy key' }), token('old-deploy', { status: 'revoked' }), token('deploy-prod', {}), token('my-deploy', {})];
    const ix = indexTokens(many);
    expect(names(paletteMatches(ix, 'deploy', NOW))).toEqual(['deploy-prod', 'my-deploy', 'ledger-sync', 'old-deploy']);
    expect(names(paletteMatches(ix, 'nothing', NOW))).toEqual([]);
  });

  it('finds the selected token\'s row in a filter pass by id, or -1 when the pass does not show it', () => {
    const order = sortTokens(index, 'expiry', NOW);
    const pass = filterTokens(index, order, { ...EMPTY_QUERY, text: 'de' }, NOW);
    expect(rowOf(index, pass, 'deploy-10')).toBe(1);
    expect(pass.tokens[rowOf(index, pass, 'deploy-9')]?.name).toBe('deploy-9');
    expect(rowOf(index, pass, 'canary')).toBe(-1);
    expect(rowOf(index, pass, 'no-such-id')).toBe(-1);
    expect(rowOf(index, pass, null)).toBe(-1);
    // The sidebar's per-workspace counts come from the same pass as the index.
    expect([...index.workspaceCounts]).toEqual([['ws-1', 4], ['ws-2', 1]]);
  });
});
