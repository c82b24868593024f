import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync } from './spawn-cli';

const root = mkdtempSync(join(tmpdir(), 'tv-scan-short-'));
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [
    { workspace: 'acme', name: 'one-char', secret: 'x' },
    { workspace: 'acme', name: 'seven', secret: 'abcdefg' },
    { workspace: 'acme', name: 'real', secret: 'Zq81mQ-real-secret-value' },
  ]);
  env = { TOKEN_VAULT_PATH: v.path, TOKEN_VAULT_PASSWORD: PASSWORD, HOME: root };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scan and short stored secrets', () => {
  it('a stored secret under 8 characters is not looked for; a real one still is', async () => {
    const proj = join(root, 'proj');
    mkdirSync(proj);
    writeFileSync(join(proj, 'notes.txt'), 'x marks abcdefg the spot\n');
    writeFileSync(join(proj, 'config.env'), 'TOKEN=Zq81mQ-real-secret-value\n');
    const r = await runCliAsync(['scan', '--json', '.'], { env, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    const found = (JSON.parse(r.stdout.toString()) as { found: { file: string; token: string }[] }).found;
    expect(found.map((f) => f.token)).toEqual(['real']);
    const help = await runCliAsync(['scan', '--help'], { env });
    expect(help.stdout.toString()).toContain('stored secrets of 8+ characters');
  });
});
