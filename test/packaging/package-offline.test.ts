import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run package` where nothing can be downloaded: one sentence, at once, not a minute of retries and a stack.
// The probe host is one that never resolves (.invalid), so this behaves the same with or without internet.
describe('npm run package without internet', () => {
  const run = (args: string[]) => {
    const cache = mkdtempSync(join(tmpdir(), 'tv-electron-cache-'));
    try {
      return spawnSync(process.execPath, ['scripts/package.mjs', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, ELECTRON_CACHE: cache, TOKEN_VAULT_PACKAGE_PROBE_HOST: 'token-vault-offline.invalid' },
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  };

  it('fails with one clear sentence', () => {
    const result = run(['--linux', 'dir']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Packaging needs internet access: electron-builder downloads Electron and its packaging tools (AppImage, fpm, NSIS) the first time, and this machine cannot reach them; connect and run `npm run package` again.\n',
    );
  });

  it('refuses to package for another system, saying why', () => {
    const other = process.platform === 'win32' ? '--mac' : '--win';
    const result = run([other]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Package each platform on that platform: this is \w+, and keytar's native module here is built for it, not for \w+\.\n$/);
  });
});
