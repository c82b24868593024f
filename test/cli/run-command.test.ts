import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENV_VARS, SECRET_ENV_VARS } from '../../src/cli/cli-env';
import { CONCEALED } from '../../src/cli/run/output-masker';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync, spawnCli, withTestVault } from './spawn-cli';

const root = mkdtempSync(join(tmpdir(), 'tv-run-'));
const SECRET = 'npm_RunSecret0123456789abcdefghijKLMNOP';
const OTHER = 'glpat-Other_secret-xyz987654321';
const SLASHY = 'hvs.SlashyWorkspaceSecret-0042';
let vaultPath = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [
    { workspace: 'acme', name: 'deploy', secret: SECRET },
    { workspace: 'acme', name: 'other', secret: OTHER },
    { workspace: 'ci/prod', name: 'group/deploy token', secret: SLASHY },
    { workspace: 'acme', name: 'empty', secret: null },
  ]);
  vaultPath = v.path;
  env = { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `token-vault run -- node -e SCRIPT`. */
const node = (script: string) => ['run', '--', process.execPath, '-e', script];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const noSecrets = (text: string) => {
  for (const s of [SECRET, OTHER, SLASHY]) expect(text).not.toContain(s);
};

describe('token-vault run: masking', () => {
  it('conceals a secret written byte by byte, interleaved on stdout and stderr', async () => {
    const script = `const fs = require('fs'); const s = process.env.TOKEN;
      for (const ch of s) { fs.writeSync(1, ch); fs.writeSync(2, ch); }
      fs.writeSync(1, '\\n'); fs.writeSync(2, '\\n');`;
    const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toBe(`${CONCEALED}\n`);
    expect(r.stderr.toString()).toBe(`${CONCEALED}\n`);
    noSecrets(r.all);
  });

  it('conceals secrets that straddle 64 KiB read boundaries, with colours and binary bytes around them intact', async () => {
    // Fill so that each secret starts 1, 10, 20 and 38 bytes before a multiple of 64 KiB (a pipe read's size).
    const fills: number[] = [];
    let len = 0;
    for (const target of [65536 - 1, 131072 - 10, 196608 - 20, 262144 - 38]) {
      const fill = target - len - 5;
      fills.push(fill);
      len += fill + 5 + SECRET.length + 4 + 4 + OTHER.length;
    }
    const piece = (fill: number, s: string, o: string) => [Buffer.alloc(fill, 'x'), Buffer.from(`\x1b[31m${s}\x1b[0m`), Buffer.from([0, 255, 128, 10]), Buffer.from(o)];
    const script = `const piece = ${piece.toString()};
      process.stdout.write(Buffer.concat(JSON.parse(process.env.FILLS).flatMap((f) => piece(f, process.env.TOKEN, process.env.OTHER))));`;
    const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy', OTHER: 'tv://acme/other', FILLS: JSON.stringify(fills) } });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.equals(Buffer.concat(fills.flatMap((f) => piece(f, CONCEALED, CONCEALED))))).toBe(true);
    noSecrets(r.all);
  });

  it('a held-back secret prefix: concealed when the child exits on it, a short one let out when an interactive child goes quiet', async () => {
    const exits = await runCliAsync(node(`process.stdout.write(process.env.TOKEN.slice(0, 12))`), { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(exits.stdout.toString()).toBe(CONCEALED);
    // The child prints a prompt ending in the same prefix and waits for a line: it must not look frozen.
    const cli = spawnCli(node(`process.stdout.write('Token starts ' + process.env.TOKEN.slice(0, 5));
      process.stdin.once('data', (d) => { process.stdout.write(' got ' + d.toString().trim() + '\\n'); process.exit(0); });`), { env: { ...env, TOKEN: 'tv://acme/deploy' }, input: null });
    await cli.waitFor(`Token starts ${SECRET.slice(0, 5)}`, 5000);
    cli.child.stdin?.end('yes\n');
    const r = await cli.done;
    expect(r.stdout.toString()).toBe(`Token starts ${SECRET.slice(0, 5)} got yes\n`);
    noSecrets(r.all);
  });

  it('conceals the base64 form (curl -v Basic auth) and passes stdin through', async () => {
    const script = `let input = ''; process.stdin.on('data', (d) => (input += d)); process.stdin.on('end', () => {
      console.log('Authorization: Basic ' + Buffer.from('user:' + process.env.TOKEN).toString('base64'));
      console.log('stdin said: ' + input.trim().toUpperCase());
    });`;
    const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy' }, input: 'hello from stdin\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain(CONCEALED);
    expect(r.stdout.toString()).toContain('stdin said: HELLO FROM STDIN');
    expect(r.stdout.toString()).not.toContain(Buffer.from(SECRET).toString('base64').slice(4, 30));
    noSecrets(r.all);
  });

  it('keeps masking stderr after the child closes its stdout early', async () => {
    const script = `const fs = require('fs'); fs.writeSync(1, 'bye\\n'); fs.closeSync(1);
      setTimeout(() => { fs.writeSync(2, 'late ' + process.env.TOKEN + '\\n'); }, 100);`;
    const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('bye\n');
    expect(r.stderr.toString()).toBe(`late ${CONCEALED}\n`);
    noSecrets(r.all);
  });

  it('--no-masking leaves the output alone (the one place a secret is expected in the output)', async () => {
    const r = await runCliAsync(['run', '--no-masking', '--', process.execPath, '-e', 'process.stdout.write(process.env.TOKEN)'], { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(SECRET);
  });
});

describe('token-vault run: environment, statuses, signals, audit', () => {
  it('the secrets are in the child\'s environment only, the master password is not, and nothing else changes', async () => {
    const script = `console.log(JSON.stringify({ h: require('crypto').createHash('sha256').update(process.env.TOKEN).digest('hex'),
      slashy: require('crypto').createHash('sha256').update(process.env.SLASHY).digest('hex'),
      plain: process.env.PLAIN, pw: process.env.TOKEN_VAULT_PASSWORD ?? null }))`;
    const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy', SLASHY: 'tv://ci%2Fprod/group%2Fdeploy%20token', PLAIN: 'tv-not-a-ref' } });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual({ h: sha(SECRET), slashy: sha(SLASHY), plain: 'tv-not-a-ref', pw: null });
    noSecrets(r.all);
  });

  it('no password or secret variable token-vault reads reaches the command (sh -c env)', async () => {
    const ours = Object.fromEntries(SECRET_ENV_VARS.map((name) => [name, `value-of-${name}`]));
    const r = await runCliAsync(['run', '--', '/bin/sh', '-c', 'env'], {
      env: { ...ours, ...env, TOKEN_VAULT_BACKUP_PASSWORD: 'backup-pass-1', TOKEN_VAULT_FUTURE_SECRET: 'future', TOKEN: 'tv://acme/deploy', PLAIN: 'kept' },
    });
    expect(r.code, r.stderr.toString()).toBe(0);
    const names = r.stdout.toString().split('\n').map((line) => line.split('=')[0]);
    expect(names).toContain('PLAIN');
    expect(names).toContain('TOKEN');
    for (const name of [...SECRET_ENV_VARS, 'TOKEN_VAULT_FUTURE_SECRET']) expect(names).not.toContain(name);
    expect(SECRET_ENV_VARS).toEqual(expect.arrayContaining(['TOKEN_VAULT_PASSWORD', 'TOKEN_VAULT_NEW_PASSWORD', 'TOKEN_VAULT_ADMIN_SECRET', 'TOKEN_VAULT_BACKUP_PASSWORD', 'TOKEN_VAULT_IMPORT_PASSWORD', 'TOKEN_VAULT_EXPORT_PASSWORD']));
  });

  it('every TOKEN_VAULT_* variable the sources read is in the one list (src/cli/cli-env.ts)', () => {
    const read = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/TOKEN_VAULT_[A-Z_]*[A-Z]/g)) read.add(m[0]);
      }
    };
    for (const d of ['src/cli', 'src/main', 'src/shared']) walk(d);
    expect([...read].filter((n) => !(CLI_ENV_VARS as readonly string[]).includes(n))).toEqual([]);
  });

  it('exits with the child\'s status: 0, 3, 143 for SIGTERM, 137 for SIGKILL', async () => {
    const status = async (script: string) => (await runCliAsync(node(script), { env })).code;
    expect(await status('process.exit(0)')).toBe(0);
    expect(await status('process.exit(3)')).toBe(3);
    expect(await status("process.kill(process.pid, 'SIGTERM')")).toBe(143);
    expect(await status("process.kill(process.pid, 'SIGKILL')")).toBe(137);
  });

  it('forwards SIGINT and SIGTERM sent to token-vault to the child', async () => {
    const script = `process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(42); });
      console.log('ready'); setInterval(() => {}, 1000);`;
    const cli = spawnCli(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    await cli.waitFor('ready');
    process.kill(cli.child.pid as number, 'SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(42);
    expect(r.stdout.toString()).toContain('child got SIGINT');

    const term = spawnCli(node(`console.log('ready'); setInterval(() => {}, 1000);`), { env });
    await term.waitFor('ready');
    process.kill(term.child.pid as number, 'SIGTERM');
    expect((await term.done).code).toBe(143);
  });

  it('an unresolvable reference stops before the command runs: exit 1 naming the variable, never a secret', async () => {
    const marker = join(root, 'child-ran');
    const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
    for (const [value, words] of [
      ['tv://acme/nope', /MISSING: tv:\/\/acme\/nope: no token "nope" in workspace "acme"/],
      ['tv://nowhere/deploy', /MISSING: .*no workspace named "nowhere"/],
      ['tv://acme', /MISSING: .*not a reference/],
      ['tv://acme/de ploy', /MISSING: .*space/],
      ['tv://acme/empty', /MISSING: .*no secret/],
      ['tv://ci/prod/group/deploy token', /MISSING: .*%2F/],
    ] as const) {
      const r = await runCliAsync(node(script), { env: { ...env, TOKEN: 'tv://acme/deploy', MISSING: value } });
      expect(r.code, value).toBe(1);
      expect(r.stderr.toString()).toMatch(words);
      expect(r.stderr.toString()).toMatch(/Nothing was run/);
      expect(existsSync(marker)).toBe(false);
      noSecrets(r.all);
    }
    // A wrong master password stops it too.
    const wrong = await runCliAsync(node(script), { env: { ...env, TOKEN_VAULT_PASSWORD: 'not the password', TOKEN: 'tv://acme/deploy' } });
    expect(wrong.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('one audit entry per token per run, naming argv[0] only', async () => {
    const before = await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }).length);
    const r = await runCliAsync(['run', '--', process.execPath, '-e', 'process.exit(0)', 'ARGUMENT-NOT-AUDITED'], {
      env: { ...env, A: 'tv://acme/deploy', B: 'tv://acme/deploy', C: 'tv://ACME/Other', D: 'tv://ci%2Fprod/group%2Fdeploy%20token' },
    });
    expect(r.code, r.stderr.toString()).toBe(0);
    const entries = await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }));
    const added = entries.slice(0, entries.length - before);
    expect(added).toHaveLength(3);
    for (const e of added) {
      expect(e).toMatchObject({ action: 'revealed', actor: 'cli', detail: `run: ${process.execPath}` });
      expect(e.detail).not.toContain('ARGUMENT');
    }
    expect(new Set(added.map((e) => e.tokenId)).size).toBe(3);
  });

  it('reads dotenv files with every quirk; env files win over the environment, later files over earlier ones', async () => {
    const first = join(root, 'first.env');
    const second = join(root, 'second.env');
    writeFileSync(
      first,
      '\ufeff# a comment line\r\n' +
        '\r\n' +
        'export TOKEN=tv://acme/deploy\r\n' +
        'SPACED   =   value with spaces   # trailing comment\r\n' +
        "SINGLE='literal \\n $HOME # not a comment'\r\n" +
        'DOUBLE="line1\\nline2 \\"quoted\\" # kept"  # comment\r\n' +
        'MULTI="first\r\nsecond"\r\n' +
        'EMPTY=\r\n' +
        'HASH=abc#def\r\n' +
        'QUOTEDREF="tv://acme/other"\r\n' +
        'OVERRIDDEN=first\r\n' +
        'FROM_ENV=file\r\n',
    );
    writeFileSync(second, 'OVERRIDDEN=second\nBACKTICK=`back tick`\n');
    const script = `const e = process.env; const h = (s) => require('crypto').createHash('sha256').update(s).digest('hex');
      console.log(JSON.stringify({ token: h(e.TOKEN), ref: h(e.QUOTEDREF), SPACED: e.SPACED, SINGLE: e.SINGLE, DOUBLE: e.DOUBLE, MULTI: e.MULTI,
        EMPTY: e.EMPTY, HASH: e.HASH, OVERRIDDEN: e.OVERRIDDEN, FROM_ENV: e.FROM_ENV, BACKTICK: e.BACKTICK }))`;
    const r = await runCliAsync(['run', '--env-file', first, '--env-file', second, '--', process.execPath, '-e', script], { env: { ...env, FROM_ENV: 'environment' } });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual({
      token: sha(SECRET),
      ref: sha(OTHER),
      SPACED: 'value with spaces',
      SINGLE: 'literal \\n $HOME # not a comment',
      DOUBLE: 'line1\nline2 "quoted" # kept',
      MULTI: 'first\nsecond',
      EMPTY: '',
      HASH: 'abc#def',
      OVERRIDDEN: 'second',
      FROM_ENV: 'file',
      BACKTICK: 'back tick',
    });
    noSecrets(r.all);
  });

  it('a broken env file is an error with its line number and without its content; a missing one too', async () => {
    const bad = join(root, 'bad.env');
    writeFileSync(bad, 'OK=1\n# fine\nTOKEN="npm_unterminated-secret-looking\n');
    const r = await runCliAsync(['run', '--env-file', bad, '--', 'true'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/bad\.env, line 3: a quoted value is never closed/);
    expect(r.all).not.toContain('unterminated-secret');
    const missing = await runCliAsync(['run', '--env-file', join(root, 'nope.env'), '--', 'true'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.toString()).toMatch(/Cannot read env file .*nope\.env \(ENOENT\)/);
  });

  it('a huge env file works; one too big for exec is a clear error, not a crash', async () => {
    const big = join(root, 'big.env');
    const lines = Array.from({ length: 20_000 }, (_, i) => `VAR_${i}=value-${i}`);
    writeFileSync(big, `${lines.join('\n')}\nTOKEN=tv://acme/deploy\n`);
    const r = await runCliAsync(['run', '--env-file', big, '--', process.execPath, '-e', 'console.log(process.env.VAR_19999, process.env.TOKEN)'], { env });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toBe(`value-19999 ${CONCEALED}\n`);
    const huge = join(root, 'huge.env');
    writeFileSync(huge, Array.from({ length: 60_000 }, (_, i) => `VAR_${i}=${'v'.repeat(60)}`).join('\n'));
    const tooBig = await runCliAsync(['run', '--env-file', huge, '--', 'true'], { env });
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr.toString()).toMatch(/larger than the system allows/);
  });

  it('usage: no command is exit 2; an unknown command exit 1, before any secret is read', async () => {
    expect((await runCliAsync(['run'], { env })).code).toBe(2);
    const before = await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }).length);
    const r = await runCliAsync(['run', '--', 'no-such-command-here'], { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/no-such-command-here: command not found/);
    const notExecutable = join(root, 'not-executable.sh');
    writeFileSync(notExecutable, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const r2 = await runCliAsync(['run', '--', notExecutable], { env: { ...env, TOKEN: 'tv://acme/deploy' } });
    expect(r2.code).toBe(1);
    expect(r2.stderr.toString()).toMatch(/not executable/);
    expect(await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }).length)).toBe(before);
  });
});
