import { describe, expect, it } from 'vitest';
import { displayWidth, nameOrder, relativeTime, termSafe, truncate } from '../../src/cli/output';
import { shortIds } from '../../src/cli/token-ref';

/** The pieces `list` fits a terminal with: cell widths, cutting, escaping, relative dates, short ids. */
describe('CLI output pieces', () => {
  it('measures cells as a terminal shows them: wide CJK and emoji take two, combining marks none', () => {
    expect(displayWidth('deploy-ci')).toBe(9);
    expect(displayWidth('…')).toBe(1);
    expect(displayWidth('デプロイ')).toBe(8);
    expect(displayWidth('🔑key')).toBe(5);
    expect(displayWidth('e\u0301te\u0301')).toBe(3);
    expect(displayWidth('👩‍💻')).toBe(2);
  });

  it('cuts to a width without splitting a wide character or a combined one', () => {
    expect(truncate('deploy-ci-production', 10)).toBe('deploy-ci…');
    expect(truncate('デプロイ用トークン', 7)).toBe('デプロ…');
    expect(displayWidth(truncate('デプロイ用トークン', 7))).toBeLessThanOrEqual(7);
    expect(truncate('e\u0301e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('orders names exactly as Intl.Collator(\'en\') does, with or without the collator', () => {
    const collator = new Intl.Collator('en').compare;
    const sign = (n: number) => Math.sign(n);
    // Every pair of plain names up to two characters, and random longer ones: the code point order agrees.
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789.-/'];
    const short = ['', ...alphabet, ...alphabet.flatMap((a) => alphabet.map((b) => a + b))];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const long = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const plain = nameOrder([...short, ...long]);
    for (const a of short) for (const b of short) if (sign(plain(a, b)) !== sign(collator(a, b))) expect([a, b, plain(a, b)]).toEqual([a, b, collator(a, b)]);
    for (let i = 1; i < long.length; i++) expect(sign(plain(long[i - 1]!, long[i]!))).toBe(sign(collator(long[i - 1]!, long[i]!)));
    // Anything else (capitals, '_', spaces, accents) is sorted by the collator itself, where the code points would not agree.
    const mixed = ['B', 'a', 'ci_token', 'ci-token', 'ci1', 'Été', 'zeta', 'deploy token', 'deploy-token'];
    expect([...mixed].sort(nameOrder(mixed))).toEqual([...mixed].sort(collator));
    expect([...mixed].sort()).not.toEqual([...mixed].sort(collator));
  });

  it('shows control characters and bidi overrides escaped, never as they are', () => {
    expect(termSafe('a\u001b]0;title\u0007b')).toBe('a\\x1b]0;title\\x07b');
    expect(termSafe('x\u009b2Jy')).toBe('x\\x9b2Jy');
    expect(termSafe('abc\u202edcba')).toBe('abc\\u{202e}dcba');
    expect(termSafe('plain ünïcode')).toBe('plain ünïcode');
  });

  it('says how far a date is in the largest readable unit', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(relativeTime('2030-01-04T00:00:00Z', now)).toBe('in 3d');
    expect(relativeTime('2029-12-31T19:00:00Z', now)).toBe('5h ago');
    expect(relativeTime('2030-05-01T00:00:00Z', now)).toBe('in 3mo');
    expect(relativeTime('2033-01-01T00:00:00Z', now)).toBe('in 3y');
    expect(relativeTime('2030-01-01T00:00:30Z', now)).toBe('now');
  });

  it('shortens ids as git shortens hashes: 7 characters, longer where two would share them', () => {
    const ids = ['abcdef01-aaaa', 'abcdef01-bbbb', 'abcdef02-cccc', '12345678-dddd'];
    expect(Object.fromEntries(shortIds(ids))).toEqual({
      'abcdef01-aaaa': 'abcdef01-a',
      'abcdef01-bbbb': 'abcdef01-b',
      'abcdef02-cccc': 'abcdef02',
      '12345678-dddd': '1234567',
    });
  });
});
