import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { cli, ensureBuilt } from './cli-support';
import { cliInPty } from './cli-pty';

/**
 * Issue 12, defects 3 and 8, on the command line: `remove` and `workspace remove` move to a trash kept 30 days;
 * `trash [list]`, `restore W/N|W|ID`, `trash empty`; a restore never overwrites; the secret stays encrypted there.
 * The real binary, spawned; a real vault file; purging after 30 days by trashing entries in the test's own process
 * with a deletion date in the past (a date edited in the file would be refused as tampering: the trash's rows are
 * authenticated, issue 10).
 */
const root = mkdtempSync(join(tmpdir(), 'tv-cli-trash-'));
const PW = 'cli trash password';
const path = join(root, 'vault.db');
const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW, COLUMNS: '80' };
const SECRET = 'trash-cli-SECRET-0123456789abcdef';
const DAY = 86_400_000;

interface TrashJson {
  id: string;
  shortId: string;
  kind: 'token' | 'workspace';
  name: string;
  workspaceName: string;
  tokenCount: number;
  secretCount: number;
  deletedAt: string;
  purgeAt: string;
}
const trash = () => JSON.parse(cli(['trash', '--json'], { env }).stdout) as TrashJson[];
const names = () => (JSON.parse(cli(['list', '--json'], { env }).stdout) as { name: string; workspace: string }[]).map((t) => `${t.workspace}/${t.name}`).sort();
const add = (ws: string, name: string, secret = `secret-of-${name}`) => expect(cli(['add', '--workspace', ws, '--name', name], { env, input: secret }).code).toBe(0);
/** Every byte of the vault's files (db, WAL, shm). */
const fileBytes = () => Buffer.concat(readdirSync(root).filter((f) => f.startsWith('vault.db')).map((f) => readFileSync(join(root, f))));
/** Moves a token to the trash as if deleted `days` ago, through the vault itself (so the entry is authenticated). */
async function trashedDaysAgo(ref: string, days: number): Promise<string> {
  const [ws, name] = ref.split('/');
  const v = Vault.open(path, { keychain: noKeychain });
  try {
    await v.keys.unlockWithPassword(PW);
    const workspace = v.workspaces.findByName(ws!)!;
    const token = v.tokens.list({ workspaceId: workspace.id }).find((t) => t.name === name)!;
    return v.trash.trashToken(token.id, { actor: 'cli', now: new Date(Date.now() - days * DAY) }).id;
  } finally {
    v.close();
  }
}

beforeAll(async () => {
  ensureBuilt();
  const v = await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
  // A token the service issued (remote id, GitLab can revoke it): removing it here leaves it valid there.
  const gl = v.workspaces.create({ kind: 'gitlab', name: 'gl', baseUrl: 'https://gitlab.example', adminCredential: 'glpat-ADMIN-xyz' });
  v.tokens.insert({ workspaceId: gl.id, name: 'ci', secret: 'glpat-ci-secret', remoteId: '42' });
  v.close();
  add('acme', 'deploy', SECRET);
  add('acme', 'other');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Spawned processes on a shared, loaded machine: generous time per test (the checks are on outcomes, not speed).
describe('remove -> trash -> restore', { timeout: 120_000 }, () => {
  it('remove without a terminal and without --yes: exit 2, nothing moves', () => {
    const r = cli(['remove', 'acme/deploy'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a yes, and there is no terminal to ask on: add --yes/);
    expect(names()).toContain('acme/deploy');
    expect(cli(['trash', 'empty'], { env }).code).toBe(2);
  });

  it('on a terminal the question says it goes to the trash for 30 days; "n" keeps it', async () => {
    const r = await cliInPty(['remove', 'acme/deploy'], { env, timeoutMs: 60_000, answers: [{ after: /\[y\/N\] $/, type: 'n\r' }] });
    expect(r.output).toMatch(/Move acme\/deploy to the trash, with its secret\? You can restore it for 30 days; then it is deleted for good\. \[y\/N\]/);
    expect(r.code).toBe(1);
    expect(names()).toContain('acme/deploy');
  });

  it('remove --yes moves it; trash lists it (80 columns, --json); the secret is not in the file in clear; restore brings it back', () => {
    const rm = cli(['remove', 'acme/deploy', '--yes'], { env });
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toMatch(/^Moved acme\/deploy to the trash \(`token-vault restore acme\/deploy` puts it back until \d{4}-\d{2}-\d{2}\)\.\n$/);
    expect(names()).not.toContain('acme/deploy');
    expect(cli(['get', 'acme/deploy'], { env }).code).toBe(1);

    const [entry, ...more] = trash();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ kind: 'token', name: 'deploy', workspaceName: 'acme', tokenCount: 1, secretCount: 1 });
    expect(Date.parse(entry!.purgeAt) - Date.parse(entry!.deletedAt)).toBe(30 * DAY);
    const table = cli(['trash'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+KIND\s+WHAT\s+HOLDS\s+DELETED\s+PURGED ON$/);
    expect(table.stdout).toMatch(new RegExp(`^${entry!.shortId}\\s+token\\s+acme/deploy\\s+with its secret\\s+now\\s+${entry!.purgeAt.slice(0, 10)}$`, 'm'));
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(cli(['trash', 'list'], { env }).stdout).toBe(table.stdout);
    expect(table.stdout + table.stderr).not.toContain(SECRET);
    expect(fileBytes().includes(Buffer.from(SECRET))).toBe(false);

    const back = cli(['restore', 'acme/deploy'], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe('Restored acme/deploy (with its secret).\n');
    expect(cli(['get', 'acme/deploy'], { env }).stdout).toBe(SECRET);
    expect(trash()).toEqual([]);
    const audit = JSON.parse(cli(['audit', 'acme/deploy', '--json'], { env }).stdout) as { action: string }[];
    expect(audit.map((a) => a.action).slice(0, 3)).toEqual(['revealed', 'restored', 'trashed']);
  });

  it('restore by the id trash shows (short or whole) and --json', () => {
    expect(cli(['remove', 'acme/other', '--yes', '--json'], { env }).stdout).toMatch(/"removed": true/);
    const [entry] = trash();
    const r = cli(['restore', entry!.shortId, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'token', name: 'other', workspaceName: 'acme', restored: true });
    expect(cli(['restore', entry!.id], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/Nothing in the trash is "/) });
  });

  it('a name taken meanwhile: restore refuses (exit 1), overwrites nothing, the entry stays', () => {
    expect(cli(['remove', 'acme/deploy', '--yes'], { env }).code).toBe(0);
    add('acme', 'deploy', 'the-new-secret');
    const r = cli(['restore', 'acme/deploy'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^token-vault restore: acme has a token named "deploy" again, so this one stays in the trash\. Rename or remove that token, then restore\./);
    expect(cli(['get', 'acme/deploy'], { env }).stdout).toBe('the-new-secret');
    expect(trash().map((e) => `${e.workspaceName}/${e.name}`)).toEqual(['acme/deploy']);
    // Renaming the new one frees the name.
    expect(cli(['token', 'edit', 'acme/deploy', '--name', 'deploy-new'], { env }).code).toBe(0);
    expect(cli(['restore', 'acme/deploy'], { env }).code).toBe(0);
    expect(cli(['get', 'acme/deploy'], { env }).stdout).toBe(SECRET);
  });

  it('a token the service issued: the question and a note say it stays valid there and name token revoke', async () => {
    const r = await cliInPty(['remove', 'gl/ci'], { env, timeoutMs: 60_000, columns: 200, answers: [{ after: /\[y\/N\] $/, type: 'y\r' }] });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/It stays valid at GitLab: to end it there, run `token-vault token revoke gl\/ci` instead \(or first\)\./);
    expect(r.output).toMatch(/Note: gl\/ci still works at GitLab\. To end it there: `token-vault restore gl\/ci`, then `token-vault token revoke gl\/ci`\./);
    expect(cli(['restore', 'gl/ci'], { env }).code).toBe(0);
  });
});

describe('workspace remove -> restore', { timeout: 120_000 }, () => {
  it('refuses a workspace with tokens unless --with-tokens; the question says what goes; restore brings it all back', async () => {
    expect(cli(['workspace', 'remove', 'gl', '--yes'], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/still holds 1 token\(s\): add --with-tokens/) });
    const ask = await cliInPty(['workspace', 'remove', 'gl', '--with-tokens'], { env, timeoutMs: 60_000, columns: 200, answers: [{ after: /\[y\/N\] $/, type: 'n\r' }] });
    expect(ask.output).toMatch(
      /Move workspace "gl" and its 1 stored token\(s\), 1 with a secret Token Vault cannot get back from the service and its admin credential to the trash\? You can restore it for 30 days; then it is deleted for good\. Nothing changes at the service\./,
    );
    expect(ask.code).toBe(1);

    const rm = cli(['workspace', 'remove', 'gl', '--with-tokens', '--yes', '--json'], { env });
    expect(rm.code, rm.stderr).toBe(0);
    expect(JSON.parse(rm.stdout)).toMatchObject({ removed: 'gl', tokens: 1 });
    expect(names().filter((n) => n.startsWith('gl/'))).toEqual([]);
    expect(trash()[0]).toMatchObject({ kind: 'workspace', name: 'gl', tokenCount: 1, secretCount: 1 });
    expect(fileBytes().includes(Buffer.from('glpat-ADMIN-xyz'))).toBe(false);
    expect(fileBytes().includes(Buffer.from('glpat-ci-secret'))).toBe(false);

    const back = cli(['restore', 'gl'], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe('Restored workspace "gl" with 1 token.\n');
    expect(cli(['get', 'gl/ci'], { env }).stdout).toBe('glpat-ci-secret');
    expect(JSON.parse(cli(['workspace', 'list', '--json'], { env }).stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'gl', hasAdminCredential: true })]));
  });
});

describe('purge and empty', { timeout: 120_000 }, () => {
  it('an entry 29 days old stays; at 30 days the next command purges it, audited', async () => {
    add('acme', 'old');
    add('acme', 'young');
    await trashedDaysAgo('acme/young', 29);
    expect(trash().map((e) => e.name)).toEqual(['young']);
    const oldId = await trashedDaysAgo('acme/old', 30);
    expect(trash().map((e) => e.name)).toEqual(['young']);
    expect(cli(['restore', oldId], { env }).code).toBe(1);
    const audit = JSON.parse(cli(['audit', '--json', '--limit', '20'], { env }).stdout) as { action: string; actor: string }[];
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'purged', actor: 'cli' })]));
  });

  it('trash empty asks on a terminal, --yes empties, and then says the trash is empty', async () => {
    expect(cli(['remove', 'acme/other', '--yes'], { env }).code).toBe(0);
    const n = trash().length;
    const no = await cliInPty(['trash', 'empty'], { env, timeoutMs: 60_000, columns: 200, answers: [{ after: /\[y\/N\] $/, type: 'n\r' }] });
    const items = n === 1 ? '1 item' : `${n} items`;
    const secrets = n === 1 ? '1 secret' : `${n} secrets`;
    expect(no.output).toMatch(new RegExp(`Delete the ${items} in the trash for good, with ${secrets} no one can get back\\? This cannot be undone\\.`));
    expect(no.code).toBe(1);
    expect(trash()).toHaveLength(n);
    const yes = cli(['trash', 'empty', '--yes'], { env });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toBe(`Deleted ${items} from the trash for good.\n`);
    expect(trash()).toEqual([]);
    expect(cli(['trash'], { env })).toMatchObject({ code: 0, stdout: '', stderr: 'The trash is empty.\n' });
    expect(cli(['trash', 'empty', '--yes'], { env }).stderr).toBe('The trash is already empty.\n');
  });

  it('usage: trash with an unknown subcommand, restore of nothing, --force without a file', () => {
    expect(cli(['trash', 'emtpy'], { env })).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown subcommand "emtpy"\. Did you mean "empty"\?/) });
    expect(cli(['restore'], { env }).code).toBe(2);
    expect(cli(['restore', 'acme/nothing', '--force'], { env })).toMatchObject({ code: 2, stderr: expect.stringMatching(/--force is for restoring a backup file/) });
    expect(cli(['restore', 'acme/nothing'], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/Nothing in the trash is "acme\/nothing"/) });
    expect(cli(['help', 'trash'], { env }).stdout).toMatch(/trash \[list\][\s\S]*trash empty \[--yes\]/);
  });
});
