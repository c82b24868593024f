import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECRET_CHARS } from '../../src/shared/issued-secret';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync } from './spawn-cli';

// One cap on a secret's size on every way in: the window's IPC schemas, `add`, and every import format.
const root = mkdtempSync(join(tmpdir(), 'tv-secret-size-'));
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [{ workspace: 'acme', name: 'existing', secret: 'glpat-existing-0123456789' }]);
  env = { TOKEN_VAULT_PATH: v.path, TOKEN_VAULT_PASSWORD: PASSWORD };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const names = async () => {
  const r = await runCliAsync(['list', '--json'], { env });
  expect(r.code, r.stderr.toString()).toBe(0);
  return (JSON.parse(r.stdout.toString()) as { name: string }[]).map((t) => t.name).sort();
};

describe('the size of a secret', () => {
  it('add: a secret over the cap is refused naming the token, nothing stored; one at the cap is stored', async () => {
    const big = await runCliAsync(['add', '--workspace', 'acme', '--name', 'huge'], { env, input: 'x'.repeat(20_000) });
    expect(big.code).toBe(1);
    expect(big.stderr.toString()).toContain('The secret on stdin is longer than 16 KB (16,384 characters)');
    const edge = await runCliAsync(['add', '--workspace', 'acme', '--name', 'edge'], { env, input: 'y'.repeat(MAX_SECRET_CHARS) });
    expect(edge.code, edge.stderr.toString()).toBe(0);
    expect(await names()).toEqual(['edge', 'existing']);
  });

  it('import --format dotenv: a 30 MB secret refuses the whole file, naming the entry; nothing is imported', async () => {
    const file = join(root, 'big.env');
    writeFileSync(file, `SMALL=ok-secret-1234\nHUGE=${'z'.repeat(30 * 1024 * 1024)}\n`);
    const r = await runCliAsync(['import', '--format', 'dotenv', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/HUGE.*31457280 characters; at most 16384 are stored\. Nothing was imported\./);
    expect(r.stderr.toString()).not.toContain('zzzz');
    expect(await names()).toEqual(['edge', 'existing']);
  });
});
