import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarKeychain } from '../../src/main/vault';
import { BIN, cli, cliAsync, ensureBuilt } from './cli-support';
import { cliInPty } from './cli-pty';

/**
 * `init --keychain` adds OS keychain unlock to a master password (as its help says); `--keychain-only` is the keychain
 * alone. Against a real Secret Service (scripts/with-keyring.sh); the keychain cases skip without one.
 */
const root = mkdtempSync(join(tmpdir(), 'tv-cli-init-'));
let available = false;
beforeAll(async () => {
  ensureBuilt();
  available = await createKeytarKeychain().isAvailable();
  if (!available) process.stdout.write('cli-init: keychain cases SKIPPED: no Secret Service answered (run under scripts/with-keyring.sh)\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
// The keyring's D-Bus session comes from the environment scripts/with-keyring.sh sets up.
const session = () => ({ DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '', XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '', XDG_DATA_HOME: process.env['XDG_DATA_HOME'] ?? '' });

describe('token-vault init', () => {
  it('--keychain: the master password AND keychain unlock; later commands unlock through the keychain', (ctx) => {
    if (!available) return ctx.skip();
    const vault = join(root, 'both.db');
    const r = cli(['init', '--keychain', '--json', '--vault', vault], { env: { ...session(), TOKEN_VAULT_PASSWORD: 'both-password-123' } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passwordUnlock: true, keychainUnlock: true });
    expect(cli(['add', '--workspace', 'w', '--name', 'n', '--vault', vault], { env: session(), input: 'kc-secret' }).code).toBe(0);
    expect(cli(['get', 'w/n', '--vault', vault], { env: { TOKEN_VAULT_PASSWORD: 'both-password-123' } }).stdout).toBe('kc-secret');
  });

  it('--keychain on a terminal asks for the new master password twice', async (ctx) => {
    if (!available) return ctx.skip();
    const vault = join(root, 'asked.db');
    const r = await cliInPty(['init', '--keychain', '--vault', vault], {
      env: session(),
      answers: [
        { after: /New master password: $/, type: 'typed-password-1\r' },
        { after: /Repeat it: $/, type: 'typed-password-1\r' },
      ],
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/It unlocks through the OS keychain, and with the master password where the keychain does not answer\./);
    expect(r.output).not.toContain('typed-password-1');
    expect(cli(['list', '--vault', vault], { env: { TOKEN_VAULT_PASSWORD: 'typed-password-1' } }).code).toBe(0);
  });

  it('--keychain-only: no master password', (ctx) => {
    if (!available) return ctx.skip();
    const r = cli(['init', '--keychain-only', '--json', '--vault', join(root, 'kc.db')], { env: session() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passwordUnlock: false, keychainUnlock: true });
  });

  it('--keychain-only: where no keychain answers, the vault says so and asks for no master password (it has none)', async (ctx) => {
    if (!available) return ctx.skip();
    const vault = join(root, 'kc-away.db');
    expect(cli(['init', '--keychain-only', '--vault', vault], { env: session() }).code).toBe(0);
    // The same user over ssh, without the desktop's D-Bus session: no Secret Service.
    const r = await cliInPty(['list', '--vault', vault], { answers: [{ after: /Master password: $/, type: 'anything-typed\r' }] });
    expect(r.output).not.toMatch(/master password/i);
    expect(r.output).toMatch(/unlocks through the OS keychain alone, and no keychain answered here/);
    expect(r.code).toBe(1);
  });

  it('a session bus that never answers (a hung daemon, a stale address): the same answer after its limit, not a wait for ever', async (ctx) => {
    if (!available) return ctx.skip();
    const vault = join(root, 'kc-silent.db');
    expect(cli(['init', '--keychain-only', '--vault', vault], { env: session() }).code).toBe(0);
    // A socket that takes the connection and never says a word: libsecret waited on it with no limit.
    const silent = join(root, 'silent-bus');
    const server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(silent, done));
    try {
      const env = { ...session(), DBUS_SESSION_BUS_ADDRESS: `unix:path=${silent}` };
      // run opens the vault for a reference only
      const commands = [['list'], ['run', '--', 'true'], ['get', 'w/n']];
      const runs = await Promise.all(commands.map((args) => cliAsync(['--vault', vault, ...args], { env: { ...env, API_TOKEN: 'tv://w/n' } })));
      for (const [i, r] of runs.entries()) {
        expect(r.stderr, commands[i]?.[0]).toMatch(/unlocks through the OS keychain alone, and no keychain answered here/);
        expect(r.code, commands[i]?.[0]).toBe(1);
      }
      // Nor does a new vault wait on it to store its key.
      const r = await cliAsync(['init', '--keychain-only', '--vault', join(root, 'kc-silent-new.db')], { env });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/keychain/i);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a vault that fails to open ends the command at once, not after the keychain read it asked for ahead', async (ctx) => {
    if (!available) return ctx.skip();
    const vault = join(root, 'kc-damaged.db');
    expect(cli(['init', '--keychain-only', '--vault', vault], { env: session() }).code).toBe(0);
    // Damaged after its keychain slot was read: the format number lowered by hand, which the open refuses.
    const db = new Database(vault);
    db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) - 1}`);
    db.close();
    // A bus that takes the handshake and then never answers: the read asked for ahead waits out its 25 s there.
    const mute = join(root, 'mute-bus');
    const server = createServer((socket) => {
      socket.on('error', () => undefined); // the command's end resets it
      socket.once('data', () => socket.write('OK 0123456789abcdef0123456789abcdef\r\n'));
    });
    await new Promise<void>((done) => server.listen(mute, done));
    try {
      const started = Date.now();
      const child = spawn(process.execPath, [BIN, '--vault', vault, 'list'], {
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...session(), DBUS_SESSION_BUS_ADDRESS: `unix:path=${mute}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await new Promise((done) => child.on('exit', done));
      clearTimeout(kill);
      expect(stderr).toMatch(/damaged/);
      expect(code).toBe(1);
      // Well under the read's 25 s (a fresh process on a loaded machine is ~1 s).
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      server.close();
    }
  }, 30_000);

  it('--keychain and --keychain-only together is a usage error', () => {
    const r = cli(['init', '--keychain', '--keychain-only', '--vault', join(root, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^token-vault init: Give --keychain \(password and keychain\) or --keychain-only, not both\./);
  });
});
