import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from './cli-support';
import { makeVault, PASSWORD } from './spawn-cli';

/**
 * What one start of the command line loads (issue 13: every run pays for it, and the test suite spawns it hundreds of
 * times). A module hook, given to the real binary with --import, records every file Node loads (ES modules and
 * require() alike); the checks read those files, so they hold whatever the chunks are called.
 */
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import { registerHooks } from 'node:module'; const seen = []; " +
    'registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } }); ' +
    "process.on('exit', () => process.stderr.write('\\n@@loaded ' + JSON.stringify(seen) + '\\n'));",
)}`;

const root = mkdtempSync(join(tmpdir(), 'tv-start-'));
let vaultPath = '';

beforeAll(async () => {
  ensureBuilt();
  vaultPath = (await makeVault(root, [{ workspace: 'acme', name: 'deploy', secret: 'npm_StartLoadSecret0123456789abcdef' }])).path;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Start {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every file loaded, as a path. */
  files: string[];
  /** The parts of the program those files hold (the bundle keeps a `// src/...` or `// node_modules/...` line per module). */
  has: (part: RegExp) => boolean;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Start {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    encoding: 'utf8',
    input: '',
  });
  const marker = r.stderr.lastIndexOf('\n@@loaded ');
  expect(marker, r.stderr).toBeGreaterThanOrEqual(0);
  const urls = JSON.parse(r.stderr.slice(marker + '\n@@loaded '.length)) as string[];
  const files = urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr.slice(0, marker + 1),
    files,
    has: (part) => files.some((f) => part.test(f)) || texts.some((t) => part.test(t)),
  };
}

// What a start that opens no vault must not load.
const VAULT = /src\/main\/vault\/vault\.ts/;
const SQLITE = /node_modules\/better-sqlite3\//;
const ZOD = /node_modules\/zod\//;
const KEYTAR = /node_modules\/keytar\//;
const PROVIDERS = /src\/main\/providers\//;

function loadsNothingHeavy(s: Start): void {
  for (const part of [VAULT, SQLITE, ZOD, KEYTAR, PROVIDERS]) expect(s.has(part), `${String(part)} loaded:\n${s.files.join('\n')}`).toBe(false);
  // Nothing from node_modules at all: the dispatcher and its words are the project's own few kilobytes.
  expect(s.files.filter((f) => f.includes('/node_modules/'))).toEqual([]);
}

describe('a start loads only what its command needs', () => {
  it('--version: the version, and no vault, SQLite, zod, keytar or provider', () => {
    const s = start(['--version']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^token-vault \d+\.\d+\.\d+\n$/);
    loadsNothingHeavy(s);
  });

  it('usage errors (exit 2) load none of them either: unknown command, option, argument count, a command\'s bad option', () => {
    for (const args of [['frob'], ['lsit'], ['--nope'], ['list', '--stauts', 'x'], ['get'], ['list', 'extra'], ['run', '--bogus', '--', 'true'], ['read', 'a', 'b']]) {
      const s = start(args, { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD });
      expect(s.code, `${args.join(' ')}: ${s.stderr}`).toBe(2);
      expect(s.stderr).toMatch(/^token-vault/);
      loadsNothingHeavy(s);
    }
  });

  it('a command\'s own help loads its module, not the vault', () => {
    for (const args of [['list', '--help'], ['help', 'run'], ['get', '--help'], ['inject', '--help']]) {
      const s = start(args);
      expect(s.code, args.join(' ')).toBe(0);
      expect(s.stdout).toMatch(/^Usage: token-vault /);
      loadsNothingHeavy(s);
    }
  });

  it('run with no reference opens no vault', () => {
    const s = start(['run', '--', process.execPath, '-e', 'process.exit(0)'], { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD });
    expect(s.code, s.stderr).toBe(0);
    loadsNothingHeavy(s);
  });

  it('zod comes without its locales, and rotation loads no file-format parser or libsodium until a target of that kind is written', () => {
    const env = { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD };
    // `await import('zod')` (the whole namespace) once kept every locale in the chunk all validating commands load.
    const LOCALES = /node_modules\/zod\/v4\/locales\/(?!en\.js)/;
    const TARGET_LIBS = [/node_modules\/yaml\//, /node_modules\/jsonc-parser\//, /node_modules\/ini\//, /node_modules\/libsodium/];
    const list = start(['list'], env);
    expect(list.code, list.stderr).toBe(0);
    const resume = start(['token', 'resume', '--json'], env);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout.trim()).toBe('[]');
    expect(resume.has(ZOD)).toBe(true);
    for (const s of [list, resume]) {
      expect(s.has(LOCALES)).toBe(false);
      for (const lib of TARGET_LIBS) expect(s.has(lib), `${String(lib)} loaded`).toBe(false);
    }
  });

  it('a command that opens the vault with a password loads the vault and SQLite, not keytar (only a keychain slot asks for it)', () => {
    const s = start(['run', '--', process.execPath, '-e', 'process.exit(process.env.T ? 0 : 3)'], { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD, T: 'tv://acme/deploy' });
    expect(s.code, s.stderr).toBe(0);
    expect(s.has(VAULT)).toBe(true);
    expect(s.has(SQLITE)).toBe(true);
    expect(s.has(KEYTAR)).toBe(false);
    expect(s.has(PROVIDERS)).toBe(false);
  });
});

describe('the flags the binary gives Node', () => {
  it('keep Node\'s own compiled code for its built-in modules (V8 rejects it under a flag that changes its cache tag)', () => {
    // The first line: #!/usr/bin/env -S node FLAGS... --
    const shebang = readFileSync(BIN, 'utf8').split('\n')[0] ?? '';
    const flags = /^#!\/usr\/bin\/env -S node (.*) --$/.exec(shebang)?.[1]?.split(' ') ?? [];
    expect(flags.length, shebang).toBeGreaterThan(0);
    // Each built-in (crypto, child_process, net and the streams on `run`'s path) would be compiled from source at every
    // start instead: ~20 ms here. --no-sparkplug, --no-lazy, --max-lazy and the heap-size flags all do that.
    const tag = (args: string[]) => spawnSync(process.execPath, [...args, '-p', "require('v8').cachedDataVersionTag()"], { encoding: 'utf8' }).stdout.trim();
    expect(tag(flags)).toBe(tag([]));
    expect(tag(['--no-sparkplug']), 'the check tells a flag that does change it').not.toBe(tag([]));
  });
});
