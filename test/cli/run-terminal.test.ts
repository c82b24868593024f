import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONCEALED } from '../../src/cli/run/output-masker';
import { BIN, ensureBuilt } from './cli-support';
import { inTerminal as inTerminalOf } from './in-terminal';
import { makeVault, PASSWORD } from './spawn-cli';

// token-vault run as a person meets it: in an 80x24 terminal (a pseudo-terminal the test drives, like a terminal
// emulator would).
const root = mkdtempSync(join(tmpdir(), 'tv-run-tty-'));
const SECRET = 'ghp_TerminalSecret0123456789abcdefABCD';
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [{ workspace: 'acme', name: 'deploy', secret: SECRET }]);
  env = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
    HOME: process.env['HOME'] ?? root,
    TERM: 'xterm-256color',
    TOKEN_VAULT_PATH: v.path,
    TOKEN_VAULT_PASSWORD: PASSWORD,
    TOKEN: 'tv://acme/deploy',
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const inTerminal = (args: string[], file = BIN) => inTerminalOf(file, args, { cwd: root, env });

describe('token-vault run in a terminal', () => {
  it('the child sees an 80-column terminal, colours survive, the secret is concealed, typed keys reach it', async () => {
    const script = `const tty = require('tty');
      console.log('stdout-tty=' + tty.isatty(1) + ' stdin-tty=' + tty.isatty(0) + ' stderr-tty=' + tty.isatty(2) + ' cols=' + process.stdout.columns);
      console.log('\\x1b[31m' + process.env.TOKEN + '\\x1b[0m');
      console.error('on stderr ' + process.env.TOKEN);
      process.stdout.write('name? ');
      process.stdin.once('data', (d) => { console.log('hello ' + d.toString().trim()); process.exit(7); });`;
    const t = inTerminal(['run', '--', process.execPath, '-e', script]);
    await t.waitFor('name? ');
    t.term.write('world\r');
    expect(await t.exit).toBe(7);
    const screen = t.output();
    expect(screen).toContain('stdout-tty=true stdin-tty=true stderr-tty=true cols=80');
    expect(screen).toContain(`\x1b[31m${CONCEALED}\x1b[0m`);
    expect(screen).toContain(`on stderr ${CONCEALED}`);
    expect(screen).toContain('hello world');
    expect(screen).not.toContain(SECRET);
  });

  it('a secret printed one character per 40 ms, or 7 bytes then a 300 ms pause: at most its first 5 characters show', async () => {
    const script = `const s = process.env.TOKEN + '\\n'; let i = 0;
      const t = setInterval(() => { process.stdout.write(s[i]); i++; if (i >= s.length) { clearInterval(t); next(); } }, 40);
      function next() { process.stdout.write(s.slice(0, 7)); setTimeout(() => process.stdout.write(s.slice(7) + 'end\\n'), 300); }`;
    const t = inTerminal(['run', '--', process.execPath, '-e', script]);
    expect(await t.exit).toBe(0);
    const screen = t.output().replaceAll('\r', '');
    expect(screen).toContain(`ghp_T${CONCEALED}\n${CONCEALED}\nend`);
    expect(screen).not.toContain(SECRET.slice(0, 6));
  });

  it('Ctrl-C reaches the child once, through its own terminal: status 130', async () => {
    const script = `let n = 0; process.on('SIGINT', () => { n++; setTimeout(() => { console.log('interrupts=' + n); process.exit(130); }, 200); });
      console.log('waiting'); setInterval(() => {}, 1000);`;
    const t = inTerminal(['run', '--', process.execPath, '-e', script]);
    await t.waitFor('waiting');
    t.term.write('\x03');
    expect(await t.exit).toBe(130);
    expect(t.output()).toContain('interrupts=1');
  });

  it('with output to a file (pipes, no pseudo-terminal) Ctrl-C from the terminal reaches the child once, not twice', async () => {
    const out = join(root, 'out.txt');
    const script = `let n = 0; process.on('SIGINT', () => { n++; setTimeout(() => { console.log('interrupts=' + n + ' tty=' + require('tty').isatty(1)); process.exit(130); }, 300); });
      console.error('waiting'); setInterval(() => {}, 1000);`;
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // token-vault becomes the terminal's session leader (exec), the child shares its foreground process group.
    const t = inTerminal(['-c', `exec ${quote(BIN)} run -- ${quote(process.execPath)} -e ${quote(script)} > ${quote(out)}`], '/bin/sh');
    await t.waitFor('waiting');
    t.term.write('\x03');
    expect(await t.exit).toBe(130);
    expect(readFileSync(out, 'utf8')).toBe('interrupts=1 tty=false\n');
  });

  it('--no-masking hands the terminal itself to the child', async () => {
    const t = inTerminal(['run', '--no-masking', '--', process.execPath, '-e', "console.log('tty=' + require('tty').isatty(1) + ' cols=' + process.stdout.columns)"]);
    expect(await t.exit).toBe(0);
    expect(t.output()).toContain('tty=true cols=80');
  });
});
