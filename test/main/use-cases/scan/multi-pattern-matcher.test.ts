import { describe, expect, it } from 'vitest';
import { MultiPatternMatcher } from '../../../../src/main/use-cases/scan/multi-pattern-matcher';

/** Every (pattern, end) pair the slow way. */
function naive(patterns: Buffer[], text: Buffer): string[] {
  const out: string[] = [];
  patterns.forEach((p, i) => {
    if (p.length === 0) return;
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) out.push(`${i}@${at + p.length}`);
  });
  return out.sort();
}

function found(m: MultiPatternMatcher, text: Buffer, chunk = text.length): string[] {
  const out: string[] = [];
  let state = MultiPatternMatcher.START;
  for (let from = 0; from < text.length; from += chunk) {
    state = m.scan(text, from, Math.min(text.length, from + chunk), state, (p, end) => out.push(`${p}@${end}`));
  }
  return out.sort();
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('multi-pattern matcher', () => {
  it('finds overlapping, nested and repeated patterns, and patterns that are suffixes of others', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'abcabc', 'bca', 'she', ''].map((s) => Buffer.from(s));
    const text = Buffer.from('ushers abcabcabc hishe she');
    const m = new MultiPatternMatcher(patterns);
    expect(found(m, text)).toEqual(naive(patterns, text));
    // the duplicate 'she' is reported for both pattern indexes
    expect(found(m, text).filter((f) => f.startsWith('1@') || f.startsWith('6@'))).toHaveLength(6);
  });

  it('agrees with a naive search on random texts over a small alphabet, whole or chunked byte by byte', () => {
    const r = rng(7);
    for (let round = 0; round < 30; round++) {
      const alphabet = 2 + Math.floor(r() * 4);
      const rand = (n: number) => Buffer.from(Array.from({ length: n }, () => 97 + Math.floor(r() * alphabet)));
      const patterns = Array.from({ length: 1 + Math.floor(r() * 40) }, () => rand(1 + Math.floor(r() * 6)));
      const text = rand(500);
      const m = new MultiPatternMatcher(patterns);
      expect(found(m, text)).toEqual(naive(patterns, text));
      expect(found(m, text, 1)).toEqual(naive(patterns, text));
      expect(found(m, text, 7)).toEqual(naive(patterns, text));
    }
  });

  it('stays correct past the dense rows: 20,000 random binary patterns', () => {
    const r = rng(11);
    const rand = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const patterns = Array.from({ length: 20_000 }, () => rand(12 + Math.floor(r() * 30)));
    const m = new MultiPatternMatcher(patterns);
    expect(m.stateCount).toBeGreaterThan(16_384);
    const parts: Buffer[] = [];
    for (let i = 0; i < 300; i++) parts.push(rand(50), patterns[Math.floor(r() * patterns.length)] as Buffer);
    const text = Buffer.concat(parts);
    const got = found(m, text);
    expect(got).toEqual(naive(patterns, text));
    expect(got.length).toBeGreaterThanOrEqual(300);
  });

  it('depthOf tells how many trailing bytes could still start a pattern', () => {
    const m = new MultiPatternMatcher([Buffer.from('secret-value')]);
    const s = m.scan(Buffer.from('xx secret-va'), 0, 12, MultiPatternMatcher.START, () => {});
    expect(m.depthOf(s)).toBe(9);
    expect(m.depthOf(m.scan(Buffer.from('xyz'), 0, 3, MultiPatternMatcher.START, () => {}))).toBe(0);
  });
});
