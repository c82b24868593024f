import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID, appUserDataDir, DESKTOP_FILE, PRODUCT_NAME } from '../../../src/main/shell/app-identity';
import { resolveVaultPath } from '../../../src/cli/open-vault';
import { defaultUserDataDir } from '../../../src/main/vault-location';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; productName: string; desktopName: string };
const builder = createRequire(import.meta.url)('../../../electron-builder.config.cjs') as { productName: string; appId: string };

/**
 * Electron's own rule, for comparison (not our code): app.getPath('userData') is app.getPath('appData') joined with
 * the app's name, which is package.json `productName` (else `name`). appData is $XDG_CONFIG_HOME or ~/.config on
 * Linux, ~/Library/Application Support on macOS, the Roaming AppData known folder (%APPDATA%) on Windows.
 */
function electronUserData(platform: 'linux' | 'darwin' | 'win32', env: Record<string, string>, home: string): string {
  const name = pkg.productName || pkg.name;
  if (platform === 'win32') return win32.join(env['APPDATA'] ?? '', name);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', name);
  return posix.join(env['XDG_CONFIG_HOME'] || posix.join(home, '.config'), name);
}

describe('one name, one folder: the app and the command line open the same vault', () => {
  it('package.json, electron-builder and the code agree on the name and the ids', () => {
    expect(pkg.productName).toBe('Token Vault');
    expect(builder.productName).toBe(PRODUCT_NAME);
    expect(PRODUCT_NAME).toBe(pkg.productName);
    expect(builder.appId).toBe(APP_ID);
    expect(pkg.desktopName).toBe(DESKTOP_FILE);
  });

  it.each([
    ['Linux', 'linux', { HOME: '/home/ann' }, '/home/ann', '/home/ann/.config/Token Vault'],
    ['Linux with XDG_CONFIG_HOME', 'linux', { XDG_CONFIG_HOME: '/home/ann/cfg' }, '/home/ann', '/home/ann/cfg/Token Vault'],
    ['macOS', 'darwin', {}, '/Users/ann', '/Users/ann/Library/Application Support/Token Vault'],
    ['Windows', 'win32', { APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming' }, 'C:\\Users\\Ann', 'C:\\Users\\Ann\\AppData\\Roaming\\Token Vault'],
  ] as const)('%s', (_name, platform, env, home, expected) => {
    // Node's path module follows the machine it runs on; compare with the separators of the platform in question.
    const norm = (p: string) => (platform === 'win32' ? p.replace(/\//g, '\\') : p);
    expect(norm(electronUserData(platform, { ...env }, home))).toBe(expected);
    expect(norm(appUserDataDir({ ...env }, platform, home))).toBe(expected);
    // The command line: resolveVaultPath's default is vault.db in defaultUserDataDir, the app's function.
    expect(norm(defaultUserDataDir({ ...env }, platform, home))).toBe(expected);
  });

  it('the command line, run here with no --vault and no TOKEN_VAULT_PATH, opens vault.db in that folder', () => {
    const env = { XDG_CONFIG_HOME: '/home/ann/cfg', APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming' };
    expect(resolveVaultPath(undefined, env)).toBe(join(appUserDataDir(env), 'vault.db'));
  });

  it('end-to-end runs point the app elsewhere only through TOKEN_VAULT_USER_DATA', () => {
    expect(appUserDataDir({ TOKEN_VAULT_USER_DATA: '/tmp/e2e', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/ann')).toBe('/tmp/e2e');
  });
});
