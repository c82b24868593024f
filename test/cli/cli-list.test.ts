import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { displayWidth } from '../../src/cli/output';
import { cli, ensureBuilt } from './cli-support';
import { cliInPty } from './cli-pty';

/**
 * Issue 12, the command line: `list` shows a token past its expiry as expired, fits the terminal (short ids accepted
 * wherever an id is, relative dates), says when nothing matched, keeps --json and adds to it.
 */
const root = mkdtempSync(join(tmpdir(), 'tv-cli-list-'));
const PW = 'cli list password';
const path = join(root, 'vault.db');
const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const ESC_NAME = 'evil\u001b]0;pwned\u0007\u001b[2Jname';
const LONG_WS = 'a-workspace-with-a-name-far-too-long-for-any-column';
const LONG_NAME = 'an-extremely-long-token-name-that-goes-on-and-on-and-on';

const lines = [
  { id: 'abcdef01-0000-4000-8000-000000000001', workspace: 'acme', name: 'deploy', secret: 's-deploy', expiresAt: '2020-01-01T00:00:00.000Z' },
  { id: 'abcdef01-1111-4000-8000-000000000002', workspace: 'acme', name: 'soon', secret: 's-soon', expiresAt: inDays(5) },
  { id: 'abcdef02-0000-4000-8000-000000000003', workspace: 'acme', name: 'later', secret: 's-later', expiresAt: inDays(10) },
  { id: 'cafe1234-0000-4000-8000-000000000004', workspace: 'acme', name: 'by-id', secret: 's-by-id', expiresAt: null },
  { id: '0badf00d-0000-4000-8000-000000000005', workspace: 'acme', name: 'cafe1234', secret: 's-named-like-an-id', expiresAt: null },
  { id: '12345678-0000-4000-8000-000000000006', workspace: 'acme', name: ESC_NAME, secret: 's-esc', expiresAt: null },
  { id: '22345678-0000-4000-8000-000000000007', workspace: LONG_WS, name: LONG_NAME, secret: 's-long', expiresAt: inDays(400) },
];

beforeAll(async () => {
  ensureBuilt();
  (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  writeFileSync(join(root, 'tokens.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
  const imp = cli(['import', '--format', 'jsonl', join(root, 'tokens.jsonl')], { env });
  expect(imp.code, imp.stderr).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rows = (stdout: string) => stdout.trimEnd().split('\n').slice(1);

describe('token-vault list', () => {
  it('a token past its expiry is expired in list, list --status expired and --json', () => {
    const json = JSON.parse(cli(['list', '--json'], { env }).stdout) as { name: string; status: string }[];
    expect(json.find((t) => t.name === 'deploy')?.status).toBe('expired');
    expect(json.find((t) => t.name === 'soon')?.status).toBe('active');
    const expired = cli(['list', '--status', 'expired'], { env });
    expect(rows(expired.stdout)).toHaveLength(1);
    expect(expired.stdout).toMatch(/acme\/deploy\s+expired/);
    const active = JSON.parse(cli(['list', '--status', 'active', '--json'], { env }).stdout) as { name: string }[];
    expect(active.map((t) => t.name)).not.toContain('deploy');
  });

  it('--expiring 7 means 7 days (and takes 7d and 1w too)', () => {
    for (const spec of ['7', '7d', '1w']) {
      const r = cli(['list', '--expiring', spec, '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { name: string }[]).map((t) => t.name).sort()).toEqual(['deploy', 'soon']);
    }
  });

  it('an empty result says so on stderr and prints nothing on stdout', () => {
    const none = cli(['list', '--workspace', 'acme', '--status', 'revoked'], { env });
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No tokens in acme, with status revoked.\n' });
    expect(cli(['search', 'zzz-nothing'], { env })).toMatchObject({ code: 0, stdout: '', stderr: 'No token matches "zzz-nothing".\n' });
    expect(cli(['list', '--json', '--status', 'revoked'], { env }).stdout).toBe('[]\n');
  });

  it('fits 80 columns on a real terminal: short ids, relative expiry, names cut with …, escapes shown, not run', async () => {
    const r = await cliInPty(['list'], { env, columns: 80 });
    expect(r.code, r.output).toBe(0);
    const shown = r.output.replace(/\r/g, '').trimEnd().split('\n');
    expect(shown[0]).toMatch(/^ID\s+TOKEN\s+STATUS\s+EXPIRES\s+LAST USED$/);
    for (const line of shown) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(r.output).not.toContain('\u001b]0;');
    expect(r.output).not.toContain('\u001b[2J');
    expect(r.output).toContain('acme/evil\\x1b]0;pwned\\x07\\x1b[2Jname');
    expect(r.output).toMatch(/ a-wor…\/an-extremely-long-token-name-th… {2}/);
    expect(r.output).toMatch(/abcdef02 +acme\/later +active +in (9|10)d/);
    expect(r.output).toMatch(/abcdef01-0 +acme\/deploy +expired +\d+y ago/);
    expect(r.output).toMatch(/abcdef01-1 +acme\/soon/);
    expect(r.output).toMatch(/cafe123 +acme\/by-id +active +never +-/);
  });

  it('COLUMNS sets the width without a terminal; a pipe without it keeps whole names; --long shows whole ids and dates', () => {
    const narrow = cli(['list'], { env: { ...env, COLUMNS: '80' } });
    for (const line of narrow.stdout.trimEnd().split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    const piped = cli(['list'], { env });
    expect(piped.stdout).toContain(`${LONG_WS}/${LONG_NAME}`);
    const long = cli(['list', '--long'], { env: { ...env, COLUMNS: '80' } });
    expect(long.stdout).toMatch(/abcdef01-0000-4000-8000-000000000001 +acme\/deploy +expired +2020-01-01T00:00:00.000Z/);
  });

  it('short ids work wherever an id does; a shared start is refused with the candidates; names need W/N', () => {
    expect(cli(['get', 'abcdef02'], { env }).stdout).toBe('s-later');
    expect(cli(['get', 'abcdef01-1'], { env }).stdout).toBe('s-soon');
    expect(cli(['audit', 'abcdef02', '--json'], { env }).code).toBe(0);
    const ambiguous = cli(['get', 'abcdef01'], { env });
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toMatch(/"abcdef01" starts 2 token ids: abcdef01-0 acme\/deploy, abcdef01-1 acme\/soon/);
    expect(cli(['get', 'abc'], { env }).stderr).toMatch(/too short for an id/);
    // "cafe1234" is the start of one id and the whole name of another token: an argument without a slash is an id.
    expect(cli(['get', 'cafe1234'], { env }).stdout).toBe('s-by-id');
    expect(cli(['get', 'acme/cafe1234'], { env }).stdout).toBe('s-named-like-an-id');
    expect(cli(['get', 'later'], { env }).stderr).toMatch(/Did you mean acme\/later\?/);
  });

  it('--json keeps every field it had and adds shortId', () => {
    const [first] = JSON.parse(cli(['list', '--json', '--workspace', LONG_WS], { env }).stdout) as Record<string, unknown>[];
    expect(Object.keys(first ?? {})).toEqual(
      expect.arrayContaining(['id', 'workspaceId', 'name', 'status', 'expiresAt', 'lastUsedAt', 'hasSecret', 'workspace', 'shortId']),
    );
    expect(first).toMatchObject({ shortId: '2234567', workspace: LONG_WS });
  });

  it('10,000 tokens: every line of the table fits 80 columns and every short id is unique', async () => {
    const big = join(root, 'big.db');
    const data = join(root, 'data');
    execFileSync(process.execPath, ['/work/shared/bench/gen-dataset.mjs', '--n', '10000', '--out', data]);
    (await Vault.create(big, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
    const bigEnv = { TOKEN_VAULT_PATH: big, TOKEN_VAULT_PASSWORD: PW, COLUMNS: '80' };
    expect(cli(['import', '--format', 'jsonl', join(data, 'tokens-10000.jsonl')], { env: bigEnv }).code).toBe(0);
    const r = cli(['list'], { env: bigEnv });
    expect(r.code, r.stderr).toBe(0);
    const table = r.stdout.trimEnd().split('\n');
    expect(table).toHaveLength(10_001);
    for (const line of table) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    const ids = table.slice(1).map((l) => l.split(' ')[0]);
    expect(new Set(ids).size).toBe(10_000);
    const meta = JSON.parse(readFileSync(join(data, 'tokens-10000.meta.json'), 'utf8')) as { show: { id: string; expectedSecret: string } };
    const shortOfShown = table.find((l) => meta.show.id.startsWith(l.split(' ')[0] ?? '-'))?.split(' ')[0] ?? '';
    expect(cli(['get', shortOfShown], { env: bigEnv }).stdout).toBe(meta.show.expectedSecret);
  }, 120_000);
});
