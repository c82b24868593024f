import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { cli, cliAsync, ensureBuilt } from './cli-support';
import { cliInPty } from './cli-pty';
import { startXvfb } from '../support/xvfb';

/**
 * `token-vault clip` against a real X11 clipboard: a private Xvfb display, and xclip as keepassxc-cli uses it. The
 * clipboard is read back by another xclip, as a paste in another program would.
 */
const haveX = existsSync('/usr/bin/Xvfb') && existsSync('/usr/bin/xclip');
const root = mkdtempSync(join(tmpdir(), 'tv-cli-clip-'));
const PW = 'cli clip password';
const path = join(root, 'vault.db');
const SECRET = 'clip-me-s3cret-0123456789';
let xvfb: ChildProcess | undefined;
let display = '';


const paste = () => {
  try {
    return execFileSync('xclip', ['-selection', 'clipboard', '-out'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', timeout: 5000 });
  } catch {
    return '';
  }
};
const copy = (text: string) => execFileSync('xclip', ['-selection', 'clipboard', '-in'], { env: { ...process.env, DISPLAY: display }, input: text, stdio: ['pipe', 'ignore', 'ignore'], timeout: 5000 });
const waitFor = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return check();
};

beforeAll(async () => {
  ensureBuilt();
  (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
  expect(cli(['add', '--workspace', 'acme', '--name', 'deploy'], { env, input: SECRET }).code).toBe(0);
  if (haveX) ({ display, xvfb } = await startXvfb());
  else process.stdout.write('cli-clip: SKIPPED: needs Xvfb and xclip (apt-get install xvfb xclip)\n');
}, 60_000);
afterAll(() => {
  xvfb?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!haveX)('token-vault clip (real X11 clipboard through xclip)', () => {
  const env = () => ({ TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW, DISPLAY: display });

  it('copies the secret, which another program can paste, and clears it after the timeout; audited as copied', async () => {
    const run = cliAsync(['clip', 'acme/deploy', '--timeout', '3'], { env: env() });
    expect(await waitFor(() => paste() === SECRET)).toBe(true);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Copied the secret of acme\/deploy to the clipboard\.\nClipboard cleared\.\n/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(paste()).toBe('');
    const audit = JSON.parse(cli(['audit', 'acme/deploy', '--json'], { env: env() }).stdout) as { action: string; actor: string; detail: string }[];
    expect(audit[0]).toMatchObject({ action: 'copied', actor: 'cli', detail: 'clipboard (xclip)' });
  });

  it('leaves the clipboard alone when something else was copied meanwhile', async () => {
    const run = cliAsync(['clip', 'acme/deploy', '--timeout', '3', '--json'], { env: env() });
    expect(await waitFor(() => paste() === SECRET)).toBe(true);
    copy('something the user copied later');
    const r = await run;
    expect(JSON.parse(r.stdout)).toMatchObject({ token: 'acme/deploy', copied: true, clearAfterSeconds: 3, cleared: false });
    expect(paste()).toBe('something the user copied later');
  });

  it('on a terminal it counts down, and Ctrl+C clears the clipboard at once', async () => {
    const started = Date.now();
    const r = await cliInPty(['clip', 'acme/deploy', '--timeout', '60'], { env: env(), answers: [{ after: /Clearing the clipboard in \d+ s/, type: '\u0003' }] });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.output).toMatch(/Clipboard cleared\./);
    expect(r.code).toBe(130);
    expect(paste()).toBe('');
  });

  it('--timeout 0 leaves the secret on the clipboard', async () => {
    const r = cli(['clip', 'acme/deploy', '--timeout', '0'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(paste()).toBe(SECRET);
    copy('');
  });
});

describe('token-vault clip without a clipboard', () => {
  const base = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };

  it('no graphical session: a clear error before the secret is read', () => {
    const before = (JSON.parse(cli(['audit', 'acme/deploy', '--json'], { env: base }).stdout) as unknown[]).length;
    const r = cli(['clip', 'acme/deploy'], { env: base });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('token-vault clip: There is no clipboard here: no graphical session (neither WAYLAND_DISPLAY nor DISPLAY is set).\n');
    expect((JSON.parse(cli(['audit', 'acme/deploy', '--json'], { env: base }).stdout) as unknown[]).length).toBe(before);
  });

  it('no clipboard program: says which ones it looked for and what to install', () => {
    const r = cli(['clip', 'acme/deploy'], { env: { ...base, DISPLAY: ':99', WAYLAND_DISPLAY: 'wayland-9', PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No clipboard program found \(looked for wl-copy, xclip, xsel\): install wl-clipboard or xclip or xsel\./);
  });
});
