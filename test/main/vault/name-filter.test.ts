import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mayHoldName as mayHold, nameFilterOf, seedsOf } from '../../../src/main/vault/tokens/name-filter';

const mayHoldName = (filter: Uint8Array, ref: string) => mayHold(filter, seedsOf(ref));

/** A keyed name hash as the vault writes it: 22 base64url characters of an HMAC. */
const ref = () => randomBytes(16).toString('base64url').slice(0, 22);
const filter = (refs: string[]) => Buffer.from(nameFilterOf(refs), 'base64');

describe('a block of names\' name filter (issue 13)', () => {
  it('never misses a name it holds, at every block size up to 256 (each probe in range, whatever the hash)', () => {
    for (const size of [0, 1, 5, 63, 64, 200, 256]) {
      for (let round = 0; round < 20; round++) {
        const refs = Array.from({ length: size }, ref);
        const f = filter(refs);
        expect(refs.filter((r) => !mayHoldName(f, r))).toEqual([]);
      }
    }
  });

  it('opens a block for a name it does not hold about once in 2,000', () => {
    let opened = 0;
    const tries = 20_000;
    const f = filter(Array.from({ length: 64 }, ref));
    for (let i = 0; i < tries; i++) if (mayHoldName(f, ref())) opened++;
    expect(opened / tries).toBeLessThan(0.003);
  });

  it('an empty block holds nothing', () => {
    expect(mayHoldName(filter([]), ref())).toBe(false);
  });
});
