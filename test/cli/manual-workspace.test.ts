import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { ensureCliBuilt, runCli } from './cli-process';

/** A Manual workspace (no admin API) end to end through the real command line: paste, expiry, policy, token page. */
const PAGE = 'https://graphor.example/settings/tokens';
const SECRET = 'grph_live_pasted_secret_0123456789';
let dir = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-manual-'));
  (await Vault.create(join(dir, 'vault.db'), { password: 'cli test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli test password' };
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('manual workspace (separate processes)', () => {
  it('adds a manual workspace with its token page (no credential asked); a non-web link is refused', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'manual', '--name', 'graphor', '--token-page', PAGE], env);
    expect(add.code, add.stderr).toBe(0);
    const bad = await runCli(['workspace', 'add', '--provider', 'manual', '--name', 'evil', '--token-page', 'javascript:alert(1)', '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'invalid-argument', message: expect.stringMatching(/web address/) } });
    const list = JSON.parse((await runCli(['workspace', 'list', '--json'], env)).stdout) as { name: string; kind: string; tokenPageUrl: string | null; hasAdminCredential: boolean }[];
    expect(list).toEqual([expect.objectContaining({ name: 'graphor', kind: 'manual', tokenPageUrl: PAGE, hasAdminCredential: false })]);
  });

  it('a pasted token keeps its secret, expiry and rotation policy; sync leaves it alone', async () => {
    const add = await runCli(['add', '--workspace', 'graphor', '--name', 'mcp-key', '--expires', '2030-05-06', '--rotate-every', '90d'], env, SECRET);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout + add.stderr).not.toContain(SECRET);
    const sync = await runCli(['workspace', 'sync', 'graphor'], env);
    expect(sync.code, sync.stderr).toBe(0);
    const listed = await runCli(['list', '--json'], env);
    expect(listed.stdout).not.toContain(SECRET);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: 'mcp-key',
        workspace: 'graphor',
        status: 'active',
        hasSecret: true,
        expiresAt: '2030-05-06T23:59:59.999Z',
        rotationPolicy: { rotateEveryDays: 90, basis: 'last-rotation' },
      }),
    ]);
    const get = await runCli(['get', 'graphor/mcp-key'], env);
    expect(get.stdout.trim()).toBe(SECRET);
  });

  it('points at the token page where the service has no API: create refuses, rotate hands out the link', async () => {
    const create = await runCli(['token', 'create', 'graphor', '--name', 'new', '--json'], env);
    expect(create.code).toBe(1);
    expect(JSON.parse(create.stdout)).toMatchObject({ error: { code: 'unsupported', message: expect.stringMatching(/token page/) } });
    const rotate = await runCli(['token', 'rotate', 'graphor/mcp-key'], env);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout.trim()).toBe(PAGE);
    expect(rotate.stderr).toMatch(/--paste/);
    // The pasted replacement is stored; the old one keeps its secret until the user confirms.
    const paste = await runCli(['token', 'rotate', 'graphor/mcp-key', '--paste', '--json'], env, 'grph_live_replacement_9876543210');
    expect(paste.code, paste.stderr).toBe(0);
    const tokens = JSON.parse((await runCli(['list', '--json'], env)).stdout) as { name: string; hasSecret: boolean; rotationPolicy: unknown }[];
    expect(tokens).toHaveLength(2);
    expect(tokens.every((t) => t.hasSecret)).toBe(true);
    const list = JSON.parse((await runCli(['workspace', 'list', '--json'], env)).stdout) as { tokenPageUrl: string }[];
    expect(list[0]?.tokenPageUrl).toBe(PAGE);
  });
});
