import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { cli, ensureBuilt } from './cli-support';
import { cliInPty } from './cli-pty';

/**
 * Issue 12, defect 8 and the command line: destructive commands ask on a terminal, refuse without one unless --yes,
 * a second revoke says so; --paste and pasted secrets are never echoed, and spaces around them are trimmed aloud.
 */
const root = mkdtempSync(join(tmpdir(), 'tv-cli-confirm-'));
const PW = 'cli confirm password';
const path = join(root, 'vault.db');
const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
const names = () => (JSON.parse(cli(['list', '--json'], { env }).stdout) as { name: string; workspace: string; status: string }[]).map((t) => `${t.workspace}/${t.name}:${t.status}`).sort();
const add = (ws: string, name: string, secret = `secret-of-${name}`) => expect(cli(['add', '--workspace', ws, '--name', name], { env, input: secret }).code).toBe(0);

beforeAll(async () => {
  ensureBuilt();
  (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  add('acme', 'one');
  add('acme', 'two');
  add('acme', 'three');
  add('other', 'keep');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('destructive commands ask first', () => {
  it('remove on a terminal: "n" keeps the token (exit 1), "y" removes it', async () => {
    const no = await cliInPty(['remove', 'acme/one'], { env, answers: [{ after: /\[y\/N\] $/, type: 'n\r' }] });
    expect(no.output).toMatch(/Move acme\/one to the trash, with its secret\? You can restore it for 30 days; then it is deleted for good\. \[y\/N\]/);
    expect(no.output).toMatch(/Cancelled: nothing was removed/);
    expect(no.code).toBe(1);
    expect(names()).toContain('acme/one:active');
    const yes = await cliInPty(['remove', 'acme/one'], { env, answers: [{ after: /\[y\/N\] $/, type: 'y\r' }] });
    expect(yes.code, yes.output).toBe(0);
    expect(names()).not.toContain('acme/one:active');
  });

  it('without a terminal and without --yes: exit 2, says so, changes nothing; --yes goes ahead', () => {
    for (const args of [['remove', 'acme/two'], ['token', 'revoke', 'acme/two'], ['workspace', 'remove', 'other', '--with-tokens']]) {
      const r = cli(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/needs a yes, and there is no terminal to ask on: add --yes to go ahead\. Nothing was changed\./);
    }
    expect(names()).toEqual(['acme/three:active', 'acme/two:active', 'other/keep:active']);
    expect(cli(['token', 'revoke', 'acme/two', '--yes'], { env }).code).toBe(0);
    expect(names()).toContain('acme/two:revoked');
  });

  it('token revoke asks on a terminal; revoking a revoked token says so and fails', async () => {
    const r = await cliInPty(['token', 'revoke', 'acme/three'], { env, answers: [{ after: /\[y\/N\] $/, type: 'yes\r' }] });
    expect(r.output).toMatch(/Revoke acme\/three at Manual \(no admin API\)\? Whatever uses it stops working\./);
    expect(r.code, r.output).toBe(0);
    const again = cli(['token', 'revoke', 'acme/three', '--yes', '--json'], { env });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'already-revoked' } });
    expect(again.stderr).toMatch(/^token-vault token revoke: This token is already revoked\./);
  });

  it('workspace remove says what goes with it', async () => {
    const r = await cliInPty(['workspace', 'remove', 'other', '--with-tokens'], { env, columns: 200, answers: [{ after: /\[y\/N\] $/, type: 'n\r' }] });
    expect(r.output).toMatch(/Move workspace "other" and its 1 stored token\(s\), 1 with a secret Token Vault cannot get back from the service to the trash\? You can restore it for 30 days/);
    expect(r.code).toBe(1);
    expect(names()).toContain('other/keep:active');
  });
});

describe('pasted secrets', () => {
  const PASTED = 'pasted-NEW-secret-0123456789';

  it('token rotate --paste on a terminal: hidden prompt, never echoed, trimmed with a note', async () => {
    add('manual-ws', 'rotating');
    const r = await cliInPty(['token', 'rotate', 'manual-ws/rotating', '--paste'], { env, answers: [{ after: /New secret: $/, type: `  ${PASTED}\t \r` }] });
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain(PASTED);
    expect(r.output).not.toContain(PASTED.slice(0, 8));
    expect(r.output).toMatch(/removed the spaces or line breaks around the secret/);
    expect(cli(['get', 'manual-ws/rotating'], { env }).stdout).toBe(PASTED);
  });

  it('token rotate --paste from a pipe: not on stdout, and null in --json', () => {
    add('manual-ws', 'piped');
    const r = cli(['token', 'rotate', 'manual-ws/piped', '--paste', '--json'], { env, input: `${PASTED}-2\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(`${PASTED}-2`);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'awaiting-confirmation', secret: null });
  });

  it('add trims spaces and line breaks around a piped secret, and says so; an echo newline alone goes silently', () => {
    const spaced = cli(['add', '--workspace', 'acme', '--name', 'spaced'], { env, input: '  \tsecret-with-spaces \r\n\n' });
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(spaced.stderr).toMatch(/removed the spaces or line breaks around the secret/);
    expect(cli(['get', 'acme/spaced'], { env }).stdout).toBe('secret-with-spaces');
    const echoed = cli(['add', '--workspace', 'acme', '--name', 'echoed'], { env, input: 'plain-secret\n' });
    expect(echoed.stderr).toBe('');
  });

  it('a second token of the same name in a workspace is refused', () => {
    const r = cli(['add', '--workspace', 'acme', '--name', 'spaced'], { env, input: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/acme already has a token named "spaced"/);
  });
});
