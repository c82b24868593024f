import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXvfb } from '../support/xvfb';
import { BIN, ensureBuilt } from './cli-support';

/**
 * The command line reads the vault's keychain entry early, while its code loads. A locked keyring
 * (after a login that did not unlock it, after the screen locker locked it) answers a read of a stored entry only
 * once its user has typed the keyring's password into the Secret Service's prompt; a read of an entry that is not
 * there (the old `__probe__`) answers at once. The command line must wait for its user at that prompt, as `get` does,
 * not decide after 3 s that there is no keychain and ask for a master password (a keychain-only vault has none).
 *
 * All real: a private D-Bus session with gnome-keyring (scripts/with-keyring.sh), its login keyring locked over D-Bus
 * (gdbus), gcr-prompter showing its prompt on a private Xvfb display, and the built command line. The prompt is left
 * unanswered for WAIT_S seconds (a person typing a password); ending Xvfb dismisses it.
 */
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const prompter = ['/usr/libexec/gcr-prompter', '/usr/lib/gcr/gcr-prompter'].some((p) => existsSync(p));
const parts = have('Xvfb') && have('dbus-run-session') && have('gnome-keyring-daemon') && have('gdbus') && prompter;
const WAIT_S = 8;

const root = mkdtempSync(join(tmpdir(), 'tv-kc-locked-'));
let xvfb: ChildProcess | undefined;
let display = '';


// Runs inside the private keyring session: a keychain-only vault, the keyring locked, then a command that unlocks.
const SCRIPT = `set -u
node "$BIN" --vault "$VAULT" init --keychain-only >/dev/null 2>"$DIR/init-err" || { echo "init-failed:$(cat "$DIR/init-err")"; exit 0; }
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \\
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null || { echo lock-failed; exit 0; }
node "$BIN" --vault "$VAULT" workspace list </dev/null >"$DIR/out" 2>"$DIR/err" &
pid=$!
sleep "$WAIT_S"
if kill -0 "$pid" 2>/dev/null; then echo "state:waiting"; else echo "state:exited"; fi
echo "stderr:$(cat "$DIR/err")"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit 0
`;

beforeAll(async () => {
  if (!parts) {
    process.stdout.write('keychain-locked-keyring: SKIPPED: needs Xvfb, dbus-run-session, gnome-keyring-daemon, gcr-prompter and gdbus\n');
    return;
  }
  ensureBuilt();
  ({ display, xvfb } = await startXvfb('800x600x24'));
}, 120_000);
afterAll(() => {
  xvfb?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!parts)('the command line on a locked keyring (real Secret Service prompt)', () => {
  it('waits for the keyring prompt instead of deciding after 3 s that there is no keychain', async () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const out = await new Promise<string>((done) => {
      const child = spawn(resolve('scripts/with-keyring.sh'), ['bash', '-c', SCRIPT], {
        env: {
          PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
          HOME: process.env['HOME'],
          DISPLAY: display,
          BIN,
          VAULT: join(dir, 'vault.db'),
          DIR: dir,
          WAIT_S: String(WAIT_S),
          NODE_DISABLE_COMPILE_CACHE: '1',
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', () => done(text));
    });
    expect(out).toContain('state:');
    // The keychain is there and its user is being asked: the command must still be waiting, having said nothing
    // (the availability probe reads an entry that is not there, which answers at once; the unlock's read waits).
    expect(out).toContain('state:waiting');
    expect(out.match(/^stderr:(.*)$/ms)?.[1]?.trim()).toBe('');
  }, 60_000);
});
