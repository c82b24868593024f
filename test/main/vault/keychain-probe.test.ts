import { describe, expect, it } from 'vitest';
import { EARLY_READ_GRACE_MS, probe } from '../../../src/main/vault/keys/keychain';

/**
 * Whether the Secret Service answers, asked with as few reads as it takes: the early read of the vault's own entry
 * (the command line's, open-vault.ts) is the answer when it comes, and an absent entry is read only when it fails or
 * is slow (a locked keyring holds it at its prompt: keychain-locked-keyring.test.ts runs that with a real one).
 * Reads here are promises settled by the test, as keytar's would be.
 */
describe('the keychain probe', () => {
  const absentReads = () => {
    const calls: number[] = [];
    const started = performance.now();
    // The absent read's answer is made when it is asked, as keytar's is: a refusal made before would be an unhandled
    // rejection until the probe asks (after its grace).
    const read = (answer: string | null | Error | Promise<string | null>) => () => {
      calls.push(performance.now() - started);
      return answer instanceof Promise ? answer : answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
    return { calls, read };
  };

  it('takes an early read that answers as the answer, and reads nothing more', async () => {
    const absent = absentReads();
    await expect(probe(absent.read(null), Promise.resolve('key'))).resolves.toBe(true);
    // The grace timer is gone too: nothing reads after the answer.
    await new Promise((r) => setTimeout(r, EARLY_READ_GRACE_MS + 50));
    expect(absent.calls).toEqual([]);
  });

  it('reads the absent entry at once when the early read fails, and answers by it', async () => {
    const yes = absentReads();
    await expect(probe(yes.read(null), Promise.reject(new Error('no')))).resolves.toBe(true);
    expect(yes.calls.length).toBe(1);
    expect(yes.calls[0]).toBeLessThan(EARLY_READ_GRACE_MS);
    const no = absentReads();
    await expect(probe(no.read(new Error('no either')), Promise.reject(new Error('no')))).resolves.toBe(false);
    expect(no.calls.length).toBe(1);
  });

  it('reads the absent entry once the early read has waited out its grace (a keyring prompt), and answers by it', async () => {
    const absent = absentReads();
    const held = new Promise<string | null>(() => undefined);
    await expect(probe(absent.read(null), held)).resolves.toBe(true);
    expect(absent.calls.length).toBe(1);
    expect(absent.calls[0]).toBeGreaterThanOrEqual(EARLY_READ_GRACE_MS - 5);
  });

  it('reads the absent entry once, even when the early read fails after its grace', async () => {
    const absent = absentReads();
    let fail: (e: Error) => void = () => undefined;
    const late = new Promise<string | null>((_, reject) => (fail = reject));
    const answer = probe(absent.read(new Promise(() => undefined)), late);
    await new Promise((r) => setTimeout(r, EARLY_READ_GRACE_MS + 20));
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 20));
    expect(absent.calls.length).toBe(1);
    void answer;
  });

  it('an absent read that fails while the early read is still held does not answer no: the early read still may', async () => {
    const absent = absentReads();
    let answer: (v: string | null) => void = () => undefined;
    const held = new Promise<string | null>((r) => (answer = r));
    const result = probe(absent.read(new Error('absent read failed')), held);
    await new Promise((r) => setTimeout(r, EARLY_READ_GRACE_MS + 50));
    expect(absent.calls.length).toBe(1);
    answer('key'); // the user unlocked the keyring at its prompt
    await expect(result).resolves.toBe(true);
  });

  it('reads the absent entry alone when nothing was read early', async () => {
    const absent = absentReads();
    await expect(probe(absent.read(null), undefined)).resolves.toBe(true);
    expect(absent.calls.length).toBe(1);
  });
});
