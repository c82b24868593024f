import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { ensureBuilt } from './cli-support';

/**
 * README's way to run the command line from a checkout, `npx token-vault`, with the machine's own npx and Node (older
 * than the project's: /usr/bin/node is 20 here) and an npm cache that has never seen the project, as on a first try:
 * nothing but the command line's own output. It printed 10 lines of EBADENGINE warnings before.
 */
const MACHINE_NPX = '/usr/bin/npx';
const machineNode = existsSync('/usr/bin/node') ? execFileSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).trim() : null;
const root = mkdtempSync(join(tmpdir(), 'tv-npx-'));
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

beforeAll(() => ensureBuilt());
afterAll(() => rmSync(root, { recursive: true, force: true }));

function npx(args: string[], env: Record<string, string> = {}, before: string[] = []) {
  const r = spawnSync(MACHINE_NPX, [...before, 'token-vault', ...args], {
    cwd: resolve('.'),
    // The machine's PATH only (no node_modules/.bin of a test runner), a fresh npm cache: npx's first run.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? root, npm_config_cache: join(root, 'npm-cache'), npm_config_update_notifier: 'false', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!existsSync(MACHINE_NPX))('npx token-vault from a checkout, on the machine\'s own Node', () => {
  it(`prints only the command line's output (machine Node ${machineNode ?? 'missing'})`, () => {
    const r = npx(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`token-vault ${version}\n`);
    expect(r.code).toBe(0);
  });

  it('runs on the project\'s Node 22 (its native modules load) with nothing added to stderr', async () => {
    const path = join(root, 'vault.db');
    (await Vault.create(path, { password: 'npx password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
    const r = npx(['list', '--json'], { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: 'npx password' });
    expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('README\'s `npx -- token-vault run --env-file`: the env file reaches the command line, not npx\'s own Node', () => {
    const missing = join(root, 'missing.env');
    // Without the `--`, npx's Node takes the option itself (nodejs/node#54232): `node: ...: not found`, exit 9.
    const r = npx(['run', '--env-file', missing, '--', 'true'], {}, ['--']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`token-vault run: Cannot read env file ${missing} (ENOENT). Nothing was run.\n`);
  });

  it('the machine\'s older Node running the bin directly gets one clear line, not a crash', (ctx) => {
    if (!machineNode || Number(machineNode.slice(1).split('.')[0]) >= 22) return ctx.skip();
    const r = spawnSync('/usr/bin/node', ['bin/token-vault.js', 'list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^token-vault: needs Node 22\.12 or newer, and this is Node 20\.[\d.]+\. From a checkout, run it as `npx token-vault`/);
  });
});
