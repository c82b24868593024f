import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pushToTarget, removeStaleTemps } from '../../../../src/main/use-cases/targets';
import { startAckingChild } from '../../vault/vault-support';
import { fileDeps, modeOf, tempDirs, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const CHILD = join(import.meta.dirname, 'fixtures', 'target-write-child.mjs');
const PAD = 4000;

/** A .env big enough that a torn write would show: 300 comment lines around the key, CRLF. */
function template(value: string, other = 'OTHER=keep-me'): string {
  const filler = Array.from({ length: 150 }, (_, i) => `# filler line ${i} ${'-'.repeat(40)}`);
  return [...filler, `KEY=${value}`, other, ...filler, 'END=1', ''].join('\r\n');
}

const writer = (path: string, key: string, label: string, count = 0) =>
  startAckingChild(CHILD, [path, key, label, String(count), String(PAD)], ([i = '']) => Number(i));

/** Reads the file as fast as it can until `until` settles; every read must be one of the complete versions. */
async function watch(path: string, isComplete: (text: string) => boolean, until: Promise<unknown>): Promise<{ reads: number; torn: number }> {
  let done = false;
  void until.finally(() => (done = true));
  let reads = 0;
  let torn = 0;
  while (!done) {
    const text = await readFile(path, 'utf8');
    reads++;
    if (!isComplete(text)) torn++;
    await new Promise((r) => setImmediate(r));
  }
  return { reads, torn };
}

describe('file targets under crashes and concurrent writers', () => {
  it('kill -9 in the middle of a stream of writes: the file is always the old or the new complete content', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, template('initial'), 0o640);
    const valueOf = (text: string) => /\r\nKEY=([^\r\n]*)\r\n/.exec(text)?.[1];
    const complete = (text: string) => {
      const v = valueOf(text);
      return v !== undefined && (v === 'initial' || /^k-\d+-x+$/.test(v)) && text === template(v);
    };
    let totalReads = 0;
    for (let round = 0; round < 4; round++) {
      const w = writer(path, 'KEY', 'k');
      const seen = watch(path, complete, w.exited);
      await w.waitFor(15 + round * 5);
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      w.child.kill('SIGKILL');
      await w.exited;
      const { reads, torn } = await seen;
      totalReads += reads;
      expect(torn).toBe(0);
      const text = await readFile(path, 'utf8');
      expect(complete(text)).toBe(true);
      // the file holds the last acknowledged write, or the one in flight when the kill came
      const written = Number(/^k-(\d+)-/.exec(valueOf(text)!)![1]);
      const lastAck = w.acks.at(-1)!;
      expect(written === lastAck || written === lastAck + 1).toBe(true);
      expect(modeOf(path)).toBe(0o640);
      // a killed writer may leave its temp file (with the secret); the next write, or this, removes it
      await removeStaleTemps(dir, '.env');
      expect(await readdir(dir)).toEqual(['.env']);
    }
    expect(totalReads).toBeGreaterThan(20);
  }, 120_000);

  it('two processes writing different keys of one file: never a torn file, and each ends with its own last value', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, template('initial', 'OTHER=initial'));
    const complete = (text: string) => {
      const env = parseEnv(text);
      return text.includes('\r\nEND=1\r\n') && /^(initial|a-\d+-x+)$/.test(env.KEY ?? '') && /^(initial|b-\d+-x+)$/.test(env.OTHER ?? '');
    };
    const rounds = 60;
    const a = writer(path, 'KEY', 'a', rounds);
    const b = writer(path, 'OTHER', 'b', rounds);
    const both = Promise.all([a.exited, b.exited]);
    const { torn } = await watch(path, complete, both);
    expect(await both, `writers' errors: ${a.stderr()}${b.stderr()}`).toEqual([0, 0]);
    expect(torn).toBe(0);
    const env = parseEnv(await readFile(path, 'utf8'));
    // an edit is redone when the file changed under it, and Token Vault writers take turns at the rename: no lost update
    expect(env.KEY).toBe(`a-${rounds - 1}-${'x'.repeat(PAD)}`);
    expect(env.OTHER).toBe(`b-${rounds - 1}-${'x'.repeat(PAD)}`);
    expect(await readdir(dir)).toEqual(['.env']);
  }, 120_000);

  it('concurrent pushes within one process to one file keep every key', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'FIRST=1\n');
    const keys = Array.from({ length: 12 }, (_, i) => `KEY_${i}`);
    const outcomes = await Promise.all(keys.map((key) => pushToTarget({ kind: 'dotenv', path, key }, `value-${key}`, fileDeps)));
    expect(outcomes.every((o) => o.status === 'written')).toBe(true);
    const env = parseEnv(await readFile(path, 'utf8'));
    for (const key of keys) expect(env[key]).toBe(`value-${key}`);
    expect(env.FIRST).toBe('1');
  });

  it('two processes writing the same key: never a torn file; the last writer wins', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, template('initial'));
    const complete = (text: string) => /^(initial|[ab]-\d+-x+)$/.test(parseEnv(text).KEY ?? '') && text.endsWith('END=1\r\n');
    const a = writer(path, 'KEY', 'a', 40);
    const b = writer(path, 'KEY', 'b', 40);
    const both = Promise.all([a.exited, b.exited]);
    const { torn } = await watch(path, complete, both);
    expect(await both, `writers' errors: ${a.stderr()}${b.stderr()}`).toEqual([0, 0]);
    expect(torn).toBe(0);
    expect(parseEnv(await readFile(path, 'utf8')).KEY).toMatch(/^[ab]-39-x+$/);
  }, 120_000);
});
