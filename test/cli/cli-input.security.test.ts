import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECRET_CHARS } from '../../src/shared/issued-secret';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { ensureCliBuilt, runCli } from './cli-process';

/** What the command line takes in: the vault path (item 11), stdin secrets (item 13), values kept out of argv (item 13). */
const PW = 'cli input password';
let dir = '';
let path = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-input-'));
  path = join(dir, 'vault.db');
  (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('issue 10 item 11: an empty vault path is a usage error, never the default vault', () => {
  // A home whose default vault exists: the command must not fall back to it.
  const home = () => join(dir, 'home');

  it('--vault "" exits 2 and names the flag', async () => {
    const run = await runCli(['--vault', '', 'list'], { ...env, XDG_CONFIG_HOME: home() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--vault/);
    expect(existsSync(join(home(), 'Token Vault'))).toBe(false);
  });

  it('an empty TOKEN_VAULT_PATH exits 2 and names the variable', async () => {
    const run = await runCli(['list'], { ...env, TOKEN_VAULT_PATH: '', XDG_CONFIG_HOME: home() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TOKEN_VAULT_PATH/);
  });

  it('init with --vault "" creates nothing', async () => {
    const run = await runCli(['init', '--vault', ''], { ...env, XDG_CONFIG_HOME: home() });
    expect(run.code).toBe(2);
    expect(existsSync(join(home(), 'Token Vault'))).toBe(false);
  });
});

describe('issue 10 item 13: stdin secrets are capped like the window caps them', () => {
  it('a secret over 16 KB on stdin is refused with a clear error and nothing is stored', async () => {
    const run = await runCli(['add', '--workspace', 'big', '--name', 'huge'], env, 'x'.repeat(MAX_SECRET_CHARS + 1));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/16 KB|16,384|16384/);
    expect((await runCli(['list', '--json'], env)).stdout).not.toContain('huge');
  });

  it('a secret of exactly the cap is accepted', async () => {
    const run = await runCli(['add', '--workspace', 'big', '--name', 'at-cap'], env, 'y'.repeat(MAX_SECRET_CHARS));
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('issue 10 item 13: names, descriptions and search terms without argv', () => {
  it('add --workspace - --name - --description - reads them from stdin, one line each, before the secret', async () => {
    const run = await runCli(['add', '--workspace', '-', '--name', '-', '--description', '-', '--json'], env, 'secret-ws\nhidden-name\nquiet description\nthe-secret-value');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ workspace: 'secret-ws', name: 'hidden-name', description: 'quiet description', hasSecret: true });
    const get = await runCli(['get', '-'], env, 'secret-ws/hidden-name\n');
    expect(get.stdout).toBe('the-secret-value');
  });

  it('search - reads the term from stdin', async () => {
    const run = await runCli(['search', '-', '--json'], env, 'hidden\n');
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { name: string }[]).map((t) => t.name)).toEqual(['hidden-name']);
  });

  it('the existing flags keep working', async () => {
    const run = await runCli(['add', '--workspace', 'plain', '--name', 'argv-name', '--json'], env, 'argv-secret');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ workspace: 'plain', name: 'argv-name' });
  });

  it('a `-` with nothing left on stdin is a clear usage error', async () => {
    const run = await runCli(['search', '-'], env, '');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/stdin/);
  });
});

describe('issue 10 item 13: README never suggests exporting the master password in an interactive shell', () => {
  it('has no `export TOKEN_VAULT_PASSWORD` and says how scripts pass it', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).not.toMatch(/export\s+TOKEN_VAULT_PASSWORD/);
    expect(readme).toMatch(/TOKEN_VAULT_PASSWORD/);
  });
});
