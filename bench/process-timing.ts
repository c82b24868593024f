import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './record';

// Whole-process figures shared by the benchmarks that run our command line next to keepassxc-cli.

export const DATA = resolve('bench/data');
const SHARED = existsSync(resolve('../shared/bench/gen-dataset.mjs')) ? resolve('../shared') : '/work/shared';
export const KP = '/usr/bin/keepassxc-cli';
export const hasKeepass = existsSync(KP);

export const ms = (t0: number) => performance.now() - t0;
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The generated dataset of `n` tokens (../shared/bench/gen-dataset.mjs), made once into bench/data/. */
export function dataset(n: number) {
  if (!existsSync(join(DATA, `tokens-${n}.jsonl`)))
    execFileSync(process.execPath, [join(SHARED, 'bench/gen-dataset.mjs'), '--n', String(n), '--out', DATA]);
  const meta = JSON.parse(readFileSync(join(DATA, `tokens-${n}.meta.json`), 'utf8')) as {
    search: { term: string; expectedHits: number };
    show: { id: string; expectedSecret: string };
  };
  return { jsonl: join(DATA, `tokens-${n}.jsonl`), xml: join(DATA, `tokens-${n}.xml`), meta };
}

/**
 * Wall time (parent clock), CPU time (user + system) and peak RSS (GNU time) of one whole process. On a loaded
 * machine the CPU time says more than the wall time, which includes waiting for a core.
 */
export function timed(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): { ms: number; cpuMs: number; rssKiB: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { input, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const elapsed = ms(t0);
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [user, sys, rss] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { ms: elapsed, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, rssKiB: rss ?? 0, stdout: r.stdout };
}

export function repeat(n: number, fn: () => { ms: number; cpuMs: number; rssKiB: number }) {
  const all = Array.from({ length: n }, fn);
  return { ms: median(all.map((a) => a.ms)), cpuMs: median(all.map((a) => a.cpuMs)), rssKiB: Math.max(...all.map((a) => a.rssKiB)) };
}

/** keepassxc's KDF time: an open of a 1-entry database with its default KDF, minus a bare process start. */
export function keepassxcKdfMs(password: string, runs: number): number {
  if (!hasKeepass) return 0;
  const one = dataset(1);
  const kp1 = join(DATA, 'kp-1.kdbx');
  if (!existsSync(kp1)) execFileSync(KP, ['import', '-q', '-p', one.xml, kp1], { input: `${password}\n${password}\n` });
  const open1 = repeat(runs, () => timed(KP, ['db-info', '-q', kp1], `${password}\n`)).ms;
  const start = repeat(runs, () => timed(KP, ['--version'])).ms;
  return Math.max(0, open1 - start);
}

/** keepassxc-cli's database of the `n`-token dataset (imported once). */
export function keepassxcDatabase(n: number, password: string): string {
  const kdbx = join(DATA, `kp-${n}.kdbx`);
  if (!existsSync(kdbx)) execFileSync(KP, ['import', '-q', '-p', dataset(n).xml, kdbx], { input: `${password}\n${password}\n`, maxBuffer: 1 << 26 });
  return kdbx;
}
