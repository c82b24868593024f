import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync } from './spawn-cli';

// A directory given where a file belongs: a typed error that says so (one mapping, src/cli/file-failure.ts), exit 1.
const root = mkdtempSync(join(tmpdir(), 'tv-dir-paths-'));
let env: NodeJS.ProcessEnv = {};
const dir = join(root, 'a-folder');

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [{ workspace: 'acme', name: 'deploy', secret: 'glpat-dir-paths-0123456789' }]);
  env = { TOKEN_VAULT_PATH: v.path, TOKEN_VAULT_PASSWORD: PASSWORD };
  mkdirSync(dir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a directory where a file belongs', () => {
  it('backup DIR --force, export --format csv DIR --force --plaintext: exit 1, no "unexpected failure", the folder untouched', async () => {
    for (const args of [
      ['backup', dir, '--force'],
      ['export', '--format', 'csv', dir, '--force', '--plaintext'],
    ]) {
      const r = await runCliAsync(args, { env });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.toString()).not.toContain('unexpected failure');
      expect(r.stderr.toString()).toMatch(/a-folder.*(directory|folder)/);
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});
