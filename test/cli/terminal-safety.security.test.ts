import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termSafe } from '../../src/cli/output';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { ContractServer } from '../servers/contract/contract-server';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * Issue 10 item 5: every string from the vault or a service is made safe before it reaches a terminal. A token name,
 * a workspace name and a service's error body carrying ESC ]0; (set the window title) and ESC [2J (clear the screen)
 * come out escaped (`\x1b`), in tables, messages, errors and --json alike.
 */
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
const C1_CSI = '\u009b31m';
const PW = 'terminal safety password';

/** Raw control bytes a terminal would act on: C0 (except \n), DEL, C1, and the bidi overrides that reorder text. */
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('issue 10 item 5: termSafe', () => {
  it('shows control characters, C1 codes and bidi overrides escaped, and leaves ordinary text alone', () => {
    expect(termSafe(`a${TITLE}b${CLEAR}c`)).toBe('a\\x1b]0;pwned\\x07b\\x1b[2Jc');
    expect(termSafe(`x${C1_CSI}`)).toBe('x\\x9b31m');
    expect(termSafe('evil\u202etxt.exe')).toBe('evil\\u{202e}txt.exe');
    expect(termSafe('line\nbreak\ttab\rcr')).toBe('line\\nbreak\\ttab\\rcr');
    expect(termSafe('Zürich – 東京 ✓ C:\\path')).toBe('Zürich – 東京 ✓ C:\\path');
  });
});

describe('issue 10 item 5: escape sequences from names and service errors never reach the terminal raw', () => {
  let dir = '';
  let env: Record<string, string> = {};
  // A GitLab whose token list answers 403 with escape sequences in its message (a hostile or compromised service).
  const hostile = new ContractServer([
    ['GET', /^\/api\/v4\/user$/, () => ({ status: 200, json: { id: 1, username: `admin${CLEAR}` } })],
    ['GET', /^\/api\/v4\/personal_access_tokens$/, () => ({ status: 403, json: { message: `403 Forbidden ${TITLE}${CLEAR}${C1_CSI}` } })],
  ]);

  beforeAll(async () => {
    ensureCliBuilt();
    const url = await hostile.start();
    dir = mkdtempSync(join(tmpdir(), 'tv-term-'));
    const path = join(dir, 'vault.db');
    const vault = await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    const ws = vault.workspaces.create({ kind: 'manual', name: `ops${TITLE}` });
    // Issued 40 days ago: a warning step applies only to tokens that live longer than it, so reminders lists this one.
    vault.tokens.insert({ workspaceId: ws.id, name: `deploy${CLEAR}`, description: `desc${C1_CSI}`, secret: 's3cret-value',
      createdAt: new Date(Date.now() - 40 * 86_400_000).toISOString(), expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }, 'cli');
    vault.workspaces.create({ kind: 'gitlab', name: `gl${CLEAR}`, baseUrl: url, adminCredential: 'glpat-admin-secret-000000' });
    vault.close();
    env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
  });
  afterAll(async () => {
    await hostile.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const commands: [string, string[]][] = [
    ['list', ['list']],
    ['list --json', ['list', '--json']],
    ['search', ['search', 'deploy']],
    ['workspace list', ['workspace', 'list']],
    ['workspace list --json', ['workspace', 'list', '--json']],
    ['audit', ['audit']],
    ['reminders', ['reminders']],
    ['workspace sync (a service error body)', ['workspace', 'sync', '--all']],
    ['workspace sync --json', ['workspace', 'sync', '--all', '--json']],
    ['an error naming a workspace', ['get', `ops${TITLE}/nothing`]],
    ['an error naming a token', ['get', `nothing${CLEAR}`]],
  ];
  for (const [what, args] of commands) {
    it(`${what}: no raw control character on stdout or stderr`, async () => {
      const run = await runCli(args, env);
      expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
      expect(run.stdout + run.stderr).toMatch(/\\x1b|\\u001b/);
    });
  }

  it('every command prints through the output module (no raw stream writes in src/cli/commands)', () => {
    const folder = join(process.cwd(), 'src/cli/commands');
    const offenders = readdirSync(folder).filter((f) => /\.(stdout|stderr)\.write\(/.test(readFileSync(join(folder, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
