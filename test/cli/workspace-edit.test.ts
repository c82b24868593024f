import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { CLI, ensureCliBuilt, runCli } from './cli-process';
import { inTerminal as inTerminalOf } from './in-terminal';

/**
 * Issue 10 item 2, the command line: `token-vault workspace edit W [--name N] [--url URL] [--token-page URL]`. A new
 * origin needs the admin credential again (TOKEN_VAULT_ADMIN_SECRET or a prompt), verified at the new address; the
 * stored one never goes there.
 */
const PW = 'workspace edit password';
const first = createGitlabServer('glpat-first-admin-000000');
const second = createGitlabServer('glpat-second-admin-00000');
let dir = '';
let env: Record<string, string> = {};
let firstUrl = '';
let secondUrl = '';

const secondSaw = () => second.server.requests.map((r) => JSON.stringify(r.headers)).join('\n');
/** The command line in an 80x24 pseudo-terminal, as a person meets it. */
const inTerminal = (args: string[]) =>
  inTerminalOf(CLI, args, { cwd: dir, env: { ...env, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, HOME: dir } });

/** What a sync writes when a member moved a workspace (first -> second) and kept its credential (see the sharing tests). */
async function movedWithCredentialHeld(name: string): Promise<void> {
  const v = Vault.open(env['TOKEN_VAULT_PATH']!, { keychain: noKeychain });
  await v.keys.unlockWithPassword(PW);
  try {
    const ws = v.workspaces.create({ kind: 'gitlab', name, baseUrl: secondUrl, adminCredential: second.adminToken });
    v.workspaces.update(ws.id, { credentialHold: { from: new URL(firstUrl).origin, at: new Date().toISOString() } });
  } finally {
    v.close();
  }
}

async function stored() {
  const v = Vault.open(env['TOKEN_VAULT_PATH']!, { keychain: noKeychain });
  await v.keys.unlockWithPassword(PW);
  try {
    return v.workspaces.list().map((w) => ({ ...w, adminCredential: v.workspaces.connection(w.id).adminCredential }));
  } finally {
    v.close();
  }
}

beforeAll(async () => {
  ensureCliBuilt();
  [firstUrl, secondUrl] = await Promise.all([first.server.start(), second.server.start()]);
  dir = mkdtempSync(join(tmpdir(), 'tv-ws-edit-'));
  const path = join(dir, 'vault.db');
  const v = await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
  v.workspaces.create({ kind: 'gitlab', name: 'gl', baseUrl: firstUrl, adminCredential: first.adminToken });
  v.close();
  env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
});
afterAll(async () => {
  await Promise.all([first.server.stop(), second.server.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('issue 10 item 2: token-vault workspace edit', () => {
  it('renames and sets the token page without asking for the credential', async () => {
    const run = await runCli(['workspace', 'edit', 'gl', '--name', 'gitlab-main', '--token-page', 'https://gitlab.example/-/user_settings/personal_access_tokens'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(await stored()).toEqual([expect.objectContaining({ name: 'gitlab-main', adminCredential: first.adminToken })]);
  });

  it('a new host without TOKEN_VAULT_ADMIN_SECRET (and no terminal): exit 1, says what is missing, changes nothing', async () => {
    const run = await runCli(['workspace', 'edit', 'gitlab-main', '--url', secondUrl], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/TOKEN_VAULT_ADMIN_SECRET/);
    expect(second.server.requests).toHaveLength(0);
    expect(await stored()).toEqual([expect.objectContaining({ baseUrl: firstUrl, adminCredential: first.adminToken })]);
  });

  it('a new host with a wrong credential: verified there, refused, nothing changes', async () => {
    const run = await runCli(['workspace', 'edit', 'gitlab-main', '--url', secondUrl], { ...env, TOKEN_VAULT_ADMIN_SECRET: 'glpat-wrong' });
    expect(run.code).toBe(1);
    expect(secondSaw()).not.toContain(first.adminToken);
    expect(await stored()).toEqual([expect.objectContaining({ baseUrl: firstUrl })]);
  });

  it('a new host with its credential: verified, stored; sync there sends only the new credential', async () => {
    const run = await runCli(['workspace', 'edit', 'gitlab-main', '--url', secondUrl, '--json'], { ...env, TOKEN_VAULT_ADMIN_SECRET: second.adminToken });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'gitlab-main', baseUrl: secondUrl, hasAdminCredential: true });
    expect((await runCli(['workspace', 'sync', 'gitlab-main'], env)).code).toBe(0);
    expect(secondSaw()).not.toContain(first.adminToken);
    expect(await stored()).toEqual([expect.objectContaining({ baseUrl: secondUrl, adminCredential: second.adminToken })]);
  });

  it('a workspace a shared change moved (its credential held): sync refuses and says how to confirm; --confirm-credential sends it there, verified', async () => {
    await movedWithCredentialHeld('moved');
    const before = second.server.requests.length;
    const sync = await runCli(['workspace', 'sync', 'moved'], env);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(`was moved to ${new URL(secondUrl).origin} by a shared change`);
    expect(sync.stderr).toContain('--confirm-credential');
    expect(second.server.requests.length).toBe(before);
    // --for names the address the user saw: another one is refused, nothing sent, the hold kept.
    const wrong = await runCli(['workspace', 'edit', 'moved', '--confirm-credential', '--for', 'https://elsewhere.example'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`"moved" waits for ${new URL(secondUrl).origin}, not https://elsewhere.example: nothing was sent.`);
    expect(second.server.requests.length).toBe(before);
    expect((await runCli(['workspace', 'sync', 'moved'], env)).code).toBe(1);
    const run = await runCli(['workspace', 'edit', 'moved', '--confirm-credential', '--for', `${secondUrl}/some/path`, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'moved', credentialHold: null });
    expect(secondSaw()).toContain(second.adminToken);
    expect((await runCli(['workspace', 'sync', 'moved'], env)).code).toBe(0);
    // Asked again with nothing held: one line that says so, no "confirmed" after it, nothing sent.
    const sent = second.server.requests.length;
    const again = await runCli(['workspace', 'edit', 'moved', '--confirm-credential'], env);
    expect(again.code).toBe(0);
    expect(again.stderr.trim()).toBe('Nothing of "moved" is waiting for a confirmation: nothing was changed.');
    expect(again.stdout).toBe('');
    expect(second.server.requests.length).toBe(sent);
  });

  it('nothing to change is a usage error, and so is --for without --confirm-credential or with no web address', async () => {
    expect((await runCli(['workspace', 'edit', 'gitlab-main'], env)).code).toBe(2);
    const alone = await runCli(['workspace', 'edit', 'gitlab-main', '--for', secondUrl], env);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--for names the address a --confirm-credential is for.');
    const notUrl = await runCli(['workspace', 'edit', 'gitlab-main', '--confirm-credential', '--for', 'elsewhere'], env);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('--for takes the address the workspace moved to');
  });

  it('on a terminal, --confirm-credential asks about the address first: no sends nothing, yes sends it there', async () => {
    await movedWithCredentialHeld('moved-tty');
    const question = `Send the admin credential of "moved-tty" to ${new URL(secondUrl).origin}? [y/N]`;
    const before = second.server.requests.length;
    const no = inTerminal(['workspace', 'edit', 'moved-tty', '--confirm-credential']);
    await no.waitFor(question);
    no.term.write('n\r');
    expect(await no.exit).toBe(1);
    expect(no.output()).toContain('Nothing was sent.');
    expect(second.server.requests.length).toBe(before);
    const yes = inTerminal(['workspace', 'edit', 'moved-tty', '--confirm-credential']);
    await yes.waitFor(question);
    yes.term.write('y\r');
    expect(await yes.exit).toBe(0);
    expect(yes.output()).toContain(`"moved-tty" is confirmed for ${secondUrl}`);
    expect(secondSaw()).toContain(second.adminToken);
  });
});
