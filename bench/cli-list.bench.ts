/**
 * `token-vault list` at 80 columns (issue 12), whole process, next to keepassxc-cli `ls -R -f` on the same dataset
 * (run: npx vitest run --config vitest.bench.config.ts bench/cli-list.bench.ts). Sizes: BENCH_SIZES (default
 * 1000,10000). As in vault.bench.ts, KDF time is taken out of both sides: our vault uses cheap scrypt parameters,
 * keepassxc's default KDF (timed on a 1-entry database) is subtracted.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../src/main/vault';
import { DATA, dataset, hasKeepass, KP, keepassxcDatabase, keepassxcKdfMs, repeat, round, timed } from './process-timing';
import { recordBench } from './record';

const SIZES = (process.env['BENCH_SIZES'] ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const PW = 'bench-password';

it('token-vault list at 80 columns against keepassxc-cli ls', async () => {
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const cli = resolve('bin/token-vault.js');
  const kpKdf = keepassxcKdfMs(PW, RUNS);
  const rows: Record<string, unknown>[] = [];
  const sizes: Record<string, unknown> = {};
  for (const n of SIZES) {
    const { jsonl } = dataset(n);
    const path = join(DATA, `tv-list-${n}.db`);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
    const env = { TOKEN_VAULT_PASSWORD: PW, COLUMNS: '80' };
    execFileSync(process.execPath, [cli, '--vault', path, 'import', '--format', 'jsonl', jsonl], { env: { ...process.env, ...env } });

    const table = repeat(RUNS, () => timed(process.execPath, [cli, '--vault', path, 'list'], undefined, env));
    const lines = timed(process.execPath, [cli, '--vault', path, 'list'], undefined, env).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    const json = repeat(RUNS, () => timed(process.execPath, [cli, '--vault', path, 'list', '--json'], undefined, env));
    const kp = hasKeepass ? repeat(RUNS, () => timed(KP, ['ls', '-q', '-R', '-f', keepassxcDatabase(n, PW), '/'], `${PW}\n`)) : undefined;
    const size = {
      listMs: round(table.ms),
      listCpuMs: round(table.cpuMs),
      listPeakKiB: table.rssKiB,
      listJsonMs: round(json.ms),
      keepassxcLsMs: kp ? round(kp.ms) : null,
      keepassxcLsCpuMs: kp ? round(kp.cpuMs) : null,
      keepassxcLsKdfExcludedMs: kp ? round(kp.ms - kpKdf) : null,
      keepassxcPeakKiB: kp?.rssKiB ?? null,
      timeRatioKdfExcluded: kp ? round(table.ms / (kp.ms - kpKdf), 3) : null,
    };
    sizes[n] = size;
    rows.push({ n, ...size });
  }
  recordBench('cliList', { keepassxcDefaultKdfMs: round(kpKdf), columns: 80, loadAverage: loadavg().map((l) => round(l, 2)), sizes }, rows);
});
