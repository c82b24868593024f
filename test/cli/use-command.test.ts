import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../src/main/vault/vault';
import type { Workspace } from '../../src/main/vault/db/vault-types';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { createGitlabVariablesServer } from '../servers/contract/gitlab-variables-server';
import { createVaultKvServer } from '../servers/contract/vault-kv-server';
import { addWorkspace, issueToken, PASSWORD, tempVault, withVaultAt } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from './cli-process';

/** `token-vault use add|list|remove|push`: the syntax issue 13 spells out, against real files and contract servers. */
const glVars = createGitlabVariablesServer();
const kv = createVaultKvServer();
const SECRET = 'npm_UseCommandSecret0123456789abcdef';
let path = '';
let dir = '';
let cleanup = () => {};
let env: Record<string, string> = {};

const withVault = <T>(fn: (vault: Vault) => Promise<T> | T): Promise<T> => withVaultAt(path, fn);
const cli = (...args: string[]) => runCli(['--vault', path, ...args], env);

beforeAll(async () => {
  ensureCliBuilt();
  const [glUrl, kvUrl] = await Promise.all([glVars.server.start(), kv.server.start()]);
  const t = await tempVault();
  path = t.path;
  cleanup = t.cleanup;
  dir = mkdtempSync(join(tmpdir(), 'tv-use-'));
  const ws = addWorkspace(t.vault, { kind: 'manual', name: 'npmjs' });
  t.vault.tokens.insert({ workspaceId: ws.id, name: 'publish', secret: SECRET });
  addWorkspace(t.vault, { kind: 'gitlab', name: 'gl', baseUrl: glUrl, adminCredential: glVars.tokens.maintainer });
  addWorkspace(t.vault, { kind: 'vault', name: 'kv', baseUrl: kvUrl, adminCredential: kv.tokens.root });
  t.vault.close();
  env = { TOKEN_VAULT_PASSWORD: PASSWORD, HOME: dir };
});
afterAll(async () => {
  await Promise.all([glVars.server.stop(), kv.server.stop()]);
  cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// Each case starts the CLI several times (a second or more each on a loaded machine): more than the default 30 s.
describe('token-vault use', { timeout: 120_000 }, () => {
  it('adds a file target with the format taken from its name, lists it, pushes (other lines and mode kept), removes it', async () => {
    const npmrc = join(dir, '.npmrc');
    writeFileSync(npmrc, 'registry=https://registry.example.com/\n//registry.example.com/:_authToken=old\nfund=false\n', { mode: 0o640 });
    const add = await cli('use', 'add', 'npmjs/publish', '--file', npmrc, '--key', 'https://registry.example.com');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Added target [0-9a-f]{8}: ~\/\.npmrc \(npmrc \/\/registry\.example\.com\/\)\.$/m);

    const push = await cli('use', 'push', 'npmjs/publish');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toBe('ok   ~/.npmrc (npmrc //registry.example.com/): written, read back\n');
    expect(readFileSync(npmrc, 'utf8')).toBe(`registry=https://registry.example.com/\n//registry.example.com/:_authToken=${SECRET}\nfund=false\n`);
    expect(statSync(npmrc).mode & 0o777).toBe(0o640);

    const list = await cli('use', 'list', 'npmjs/publish');
    expect(list.stdout).toMatch(/^([0-9a-f]{8}) {2}~\/\.npmrc \(npmrc \/\/registry\.example\.com\/\)\n {10}pushed \d{4}-\d\d-\d\d \d\d:\d\d written; read back \d{4}-\d\d-\d\d \d\d:\d\d ok\n$/);
    const json = JSON.parse((await cli('use', 'list', 'npmjs/publish', '--json')).stdout) as { id: string; kind: string; spec: object; lastPush: { status: string }; lastVerify: { status: string } }[];
    expect(json).toEqual([
      {
        id: expect.any(String),
        kind: 'npmrc',
        spec: { kind: 'npmrc', path: npmrc, key: '//registry.example.com/' },
        createdAt: expect.any(String),
        lastPush: expect.objectContaining({ status: 'written' }),
        lastVerify: expect.objectContaining({ status: 'verified', evidence: 'value-read-back' }),
      },
    ]);
    for (const out of [add, push, list]) expect(out.stdout + out.stderr).not.toContain(SECRET);

    const removed = await cli('use', 'remove', 'npmjs/publish', json[0]!.id.slice(0, 8));
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^Removed target [0-9a-f]{8}: ~\/\.npmrc .*What it holds was left as it is\.$/m);
    expect(readFileSync(npmrc, 'utf8')).toContain(SECRET);
    expect(await withVault((v) => v.targets.list())).toEqual([]);
  });

  it('adds remote targets: a GitLab CI variable by --project, a Vault KV secret by --path, and pushes to both', async () => {
    expect((await cli('use', 'add', 'npmjs/publish', '--target', 'gl', '--project', 'team/app', '--key', 'NPM_TOKEN')).code).toBe(0);
    expect((await cli('use', 'add', 'npmjs/publish', '--target', 'kv', '--path', 'ci/npm', '--key', 'token')).code).toBe(0);
    const list = await cli('use', 'list', 'npmjs/publish');
    expect(list.stdout).toContain('GitLab variable NPM_TOKEN in project team/app (gl)');
    expect(list.stdout).toContain('Vault KV secret/ci/npm key token (kv)');
    const push = await cli('use', 'push', 'npmjs/publish', '--json');
    expect(push.code, push.stderr).toBe(0);
    const report = JSON.parse(push.stdout) as { targets: { ok: boolean }[] };
    expect(report.targets.map((t) => t.ok)).toEqual([true, true]);
    expect(glVars.variables('project', '7').find((v) => v.key === 'NPM_TOKEN')).toMatchObject({ value: SECRET, masked: true });
    expect(kv.dataOf('secret', 'ci/npm')).toEqual({ token: SECRET });
    for (const t of await withVault((v) => v.targets.list())) await cli('use', 'remove', 'npmjs/publish', t.id);
  });

  it('exits 1 naming each target that failed; the others are still written', async () => {
    const good = join(dir, 'good.env');
    const bad = join(dir, 'bad.env');
    writeFileSync(good, 'A=1\n');
    expect((await cli('use', 'add', 'npmjs/publish', '--file', good, '--key', 'NPM_TOKEN')).code).toBe(0);
    expect((await cli('use', 'add', 'npmjs/publish', '--file', bad, '--key', 'NPM_TOKEN')).code).toBe(0);
    mkdirSync(bad);
    const push = await cli('use', 'push', 'npmjs/publish');
    expect(push.code).toBe(1);
    // The key was not in the file yet: it is added ("created"), the file's line kept.
    expect(push.stdout).toContain('ok   ~/good.env (dotenv NPM_TOKEN): created, read back');
    expect(push.stdout).toMatch(/^FAIL ~\/bad\.env \(dotenv NPM_TOKEN\): not written: /m);
    expect(push.stderr).toMatch(/^1 of 2 targets did not take the secret:\n {2}[0-9a-f]{8} ~\/bad\.env \(dotenv NPM_TOKEN\)\n$/);
    expect(readFileSync(good, 'utf8')).toBe(`A=1\nNPM_TOKEN=${SECRET}\n`);
    rmSync(bad, { recursive: true });
    for (const t of await withVault((v) => v.targets.list())) await cli('use', 'remove', 'npmjs/publish', t.id);
  });

  it('usage errors exit 2 and say what to write; a workspace that cannot hold targets exits 1', async () => {
    const cases: [string[], RegExp][] = [
      [['use', 'add', 'npmjs/publish', '--file', join(dir, 'notes.txt'), '--key', 'K'], /--format: the name of .*notes\.txt does not say its format; add --format dotenv\|npmrc\|json\|yaml\|docker/],
      [['use', 'add', 'npmjs/publish', '--file', join(dir, 'x.env'), '--format', 'toml', '--key', 'K'], /--format is one of dotenv, npmrc, json, yaml, docker/],
      [['use', 'add', 'npmjs/publish', '--file', join(dir, '.docker', 'config.json'), '--key', 'ghcr.io'], /--user: a Docker config entry holds USER:SECRET/],
      [['use', 'add', 'npmjs/publish', '--file', join(dir, 'x.env')], /--key: say which variable/],
      [['use', 'add', 'npmjs/publish', '--key', 'K'], /Say where: --file PATH, or --target WORKSPACE/],
      [['use', 'add', 'npmjs/publish', '--target', 'gl', '--key', 'K'], /Name the owner: --project P/],
      [['use', 'add', 'npmjs/publish', '--target', 'kv', '--project', 'a/b', '--key', 'K'], /--path: name the secret's path|takes --path and --key/],
      [['use', 'remove', 'npmjs/publish'], /Usage: token-vault use remove W\/N TARGET_ID/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    const wrong = await cli('use', 'add', 'npmjs/publish', '--target', 'npmjs', '--project', 'a/b', '--key', 'K');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/"npmjs" cannot hold deployment targets/);
    expect((await cli('--help')).stdout).toMatch(/the format follows the file name when --format is left out: \.npmrc npmrc, \.docker\/config\.json docker/);
  });

  it('a path holding terminal control characters is shown escaped, never acted on', async () => {
    const evil = join(dir, 'evil\u001b]0;pwned\u0007.env');
    writeFileSync(evil, 'A=1\n');
    const add = await cli('use', 'add', 'npmjs/publish', '--file', evil, '--key', 'K');
    expect(add.code, add.stderr).toBe(0);
    const list = await cli('use', 'list', 'npmjs/publish');
    expect(list.stdout).toContain('~/evil\\x1b]0;pwned\\x07.env (dotenv K)');
    expect(list.stdout).not.toContain('\u001b');
    for (const t of await withVault((v) => v.targets.list())) await cli('use', 'remove', 'npmjs/publish', t.id);
  });
});

describe('token rotate with a target that fails (CLI)', { timeout: 120_000 }, () => {
  const gitea = createGiteaServer();
  let giteaWs: Workspace;
  beforeAll(async () => {
    const url = await gitea.server.start();
    giteaWs = await withVault((v) => addWorkspace(v, { kind: 'gitea', name: 'gitea', baseUrl: url, username: gitea.user, adminCredential: gitea.password }));
  });
  afterAll(() => gitea.server.stop());

  it('stops before the revoke and names the target (exit 1); use push after mending it, then --confirm, revokes the old token', async () => {
    const old = await withVault((v) => issueToken(v, giteaWs, { name: 'mend', scopes: ['all'] }));
    const oldSecret = (await withVault((v) => v.tokens.readSecret(old.id))) as string;
    const good = join(dir, 'mend-good.env');
    const bad = join(dir, 'mend-bad.env');
    writeFileSync(good, `DEPLOY_TOKEN=${oldSecret}\n`);
    for (const f of [good, bad]) expect((await cli('use', 'add', 'gitea/mend', '--file', f, '--key', 'DEPLOY_TOKEN')).code).toBe(0);
    mkdirSync(bad);
    const alive = () => gitea.tokens.some((t) => String(t.id) === old.remoteId);

    const rotate = await cli('token', 'rotate', 'gitea/mend');
    expect(rotate.code, rotate.stderr).toBe(1);
    const newSecret = rotate.stdout.trim();
    expect(newSecret).not.toBe(oldSecret);
    expect(rotate.stderr).toMatch(/~\/mend-bad\.env \(dotenv DEPLOY_TOKEN\)/);
    expect(rotate.stderr).toMatch(/The old token is kept/);
    expect(rotate.stderr).toMatch(/use push W\/N/);
    expect(rotate.stderr).not.toContain(newSecret);
    expect(readFileSync(good, 'utf8')).toBe(`DEPLOY_TOKEN=${newSecret}\n`);
    expect(alive()).toBe(true);
    // `token resume` says what is left and does not revoke on its own.
    const resume = await cli('token', 'resume');
    expect(resume.stdout).toMatch(/mend/);
    expect(alive()).toBe(true);

    rmSync(bad, { recursive: true });
    const push = await cli('use', 'push', 'gitea/mend');
    expect(push.code, push.stderr + push.stdout).toBe(0);
    expect(readFileSync(bad, 'utf8')).toBe(`DEPLOY_TOKEN=${newSecret}\n`);
    const confirm = await cli('token', 'rotate', 'gitea/mend', '--confirm');
    expect(confirm.code, confirm.stderr).toBe(0);
    expect(confirm.stdout).toMatch(/The old token is revoked at/);
    expect(alive()).toBe(false);
    await withVault((v) => {
      expect(v.tokens.get(old.id).status).toBe('revoked');
      expect(v.journal.list()).toEqual([]);
    });
    for (const out of [push, confirm, resume]) expect(out.stdout + out.stderr).not.toContain(newSecret);
    for (const t of await withVault((v) => v.targets.list())) await cli('use', 'remove', 'gitea/mend', t.id);
  });
});
