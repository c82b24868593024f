import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectLaunchMode } from '../../src/cli/launch-mode';

// The `token-vault` launchers the packages install, run for real through a link, in an install folder with spaces
// and brackets. A stand-in for the app's binary prints the argv it receives; the launch-mode rule then reads it.
const root = mkdtempSync(join(tmpdir(), 'tv launchers [x] '));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const standInBinary = (path: string) => writeFileSync(path, '#!/bin/sh\nfor a in "$0" "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });

describe('the installed `token-vault` command', () => {
  it('Linux (.deb): /usr/bin/token-vault -> /opt/Token Vault/resources/bin/token-vault runs the app binary in command-line mode, headless', () => {
    const install = join(root, 'opt', 'Token Vault [beta]');
    mkdirSync(join(install, 'resources', 'bin'), { recursive: true });
    standInBinary(join(install, 'token-vault'));
    copyFileSync('build/bin/linux/token-vault', join(install, 'resources', 'bin', 'token-vault'));
    spawnSync('chmod', ['+x', join(install, 'resources', 'bin', 'token-vault')]);
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    const link = join(root, 'usr', 'bin', 'token-vault');
    symlinkSync(join(install, 'resources', 'bin', 'token-vault'), link);
    const run = spawnSync(link, ['list', '--workspace', 'acme infra', '--json'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const argv = run.stdout.trimEnd().split('\n');
    expect(argv[0]).toContain('Token Vault [beta]/resources/bin/../../token-vault');
    expect(argv.slice(1)).toEqual(['--cli', '--ozone-platform=headless', '--disable-gpu', 'list', '--workspace', 'acme infra', '--json']);
    expect(detectLaunchMode(argv, false)).toEqual({ kind: 'cli', args: ['list', '--workspace', 'acme infra', '--json'] });
    // With no argument it is still the command line (its help), as `npx token-vault` is.
    const bare = spawnSync(link, [], { encoding: 'utf8' }).stdout.trimEnd().split('\n');
    expect(detectLaunchMode(bare, false)).toEqual({ kind: 'cli', args: [] });
  });

  it('macOS: /usr/local/bin/token-vault -> Token Vault.app/Contents/Resources/bin/token-vault runs Contents/MacOS/Token Vault', () => {
    const contents = join(root, 'Applications', 'Token Vault.app', 'Contents');
    mkdirSync(join(contents, 'MacOS'), { recursive: true });
    mkdirSync(join(contents, 'Resources', 'bin'), { recursive: true });
    standInBinary(join(contents, 'MacOS', 'Token Vault'));
    copyFileSync('build/bin/mac/token-vault', join(contents, 'Resources', 'bin', 'token-vault'));
    spawnSync('chmod', ['+x', join(contents, 'Resources', 'bin', 'token-vault')]);
    mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
    // A relative link, as `ln -s ../../Applications/...` would make, must resolve too.
    const link = join(root, 'usr', 'local', 'bin', 'token-vault');
    symlinkSync('../../../Applications/Token Vault.app/Contents/Resources/bin/token-vault', link);
    const run = spawnSync(link, ['get', 'acme/deploy'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const argv = run.stdout.trimEnd().split('\n');
    expect(argv[0]).toBe(join(contents, 'MacOS', 'Token Vault'));
    expect(detectLaunchMode(argv, false)).toEqual({ kind: 'cli', args: ['get', 'acme/deploy'] });
  });

  it('Windows: resources\\bin\\token-vault.cmd starts "Token Vault.exe" --cli with the arguments and hands back its exit code', () => {
    const cmd = readFileSync('build/bin/win/token-vault.cmd', 'utf8');
    expect(cmd).toMatch(/^@echo off\r\n/);
    expect(cmd).toContain('"%~dp0..\\..\\Token Vault.exe" --cli %*\r\n');
    expect(cmd).toContain('exit /b %ERRORLEVEL%');
  });
});
