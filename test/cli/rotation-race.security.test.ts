import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * Issue 10 item 1: one remote operation per token in flight, across processes. Four `token rotate` of one GitLab
 * token at once: before, two reached the service (GitLab's reuse detection then revokes the whole token family) and
 * one process said "Nothing changed". Now the journal claim and its check are one BEGIN IMMEDIATE transaction: one
 * rotation reaches GitLab, the others are refused at once (exit 1, saying a rotation is in progress) and send nothing.
 */
const gl = createGitlabServer();
const ROTATE = /\/personal_access_tokens\/\d+\/rotate$/;
let dir = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt();
  await gl.server.start();
  dir = mkdtempSync(join(tmpdir(), 'tv-rotation-race-'));
  (await Vault.create(join(dir, 'vault.db'), { password: 'race test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'race test password' };
  const add = await runCli(['workspace', 'add', '--provider', 'gitlab', '--name', 'gl', '--url', gl.server.url], { ...env, TOKEN_VAULT_ADMIN_SECRET: gl.adminToken });
  expect(add.code, add.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await gl.server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function created(name: string): Promise<void> {
  const run = await runCli(['token', 'create', 'gl', '--name', name, '--expires', '30d', '--scopes', 'api'], env);
  expect(run.code, run.stderr).toBe(0);
}

describe('issue 10 item 1: one rotation per token across processes', () => {
  it('four parallel `token rotate` of one token: exactly one reaches GitLab, the others exit 1 saying a rotation is in progress', async () => {
    await created('race');
    // The service is slow, so the four processes overlap while the first one waits for its answer.
    gl.server.inject({ kind: 'delay', method: 'POST', path: ROTATE, ms: 6000, times: 4 });
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCli(['token', 'rotate', 'gl/race', '--json'], env)));
    gl.server.clearFaults();
    expect(gl.server.count('POST', ROTATE)).toBe(1);
    const ok = runs.filter((r) => r.code === 0);
    const refused = runs.filter((r) => r.code !== 0);
    expect(ok).toHaveLength(1);
    for (const r of refused) {
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'rotation-in-progress', message: expect.stringMatching(/in progress/) } });
    }
    // The one secret issued is the one stored, and GitLab did not revoke the family: the token is active there.
    const issued = (JSON.parse(ok[0]!.stdout) as { secret: string }).secret;
    const get = await runCli(['get', 'gl/race'], env);
    expect(get.stdout.trim()).toBe(issued);
    expect(gl.tokens.filter((t) => t.name === 'race' && !t.revoked)).toHaveLength(1);
  }, 180_000);

  it('regenerate and revoke while a rotation is in flight: refused at once, nothing sent (GitLab has no deactivate; activate uses the same check)', async () => {
    await created('busy');
    gl.server.inject({ kind: 'delay', method: 'POST', path: ROTATE, ms: 8000 });
    let reached!: () => void;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    gl.server.onRequest = (method, path) => {
      if (method === 'POST' && ROTATE.test(path)) reached();
    };
    const rotation = runCli(['token', 'rotate', 'gl/busy'], env);
    await inFlight;
    gl.server.onRequest = null;
    const before = gl.server.requests.length;
    for (const args of [['token', 'regenerate', 'gl/busy'], ['token', 'revoke', 'gl/busy', '--yes']]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/in progress/);
    }
    // Only the rotation's own call: nothing the refused commands sent.
    const sent = gl.server.requests.slice(before).filter((q) => q.method !== 'GET');
    expect(sent).toEqual([]);
    expect((await rotation).code).toBe(0);
    expect(gl.server.count('POST', ROTATE)).toBe(2);
    expect(gl.tokens.filter((t) => t.name === 'busy' && !t.revoked)).toHaveLength(1);
  }, 180_000);
});
