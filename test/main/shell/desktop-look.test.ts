import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, INSTALL_CLI_LABEL, type MenuItemSpec } from '../../../src/main/shell/app-menu';
import { adminScript, commandLineToolPlan, installCommandLineTool, linkCommand } from '../../../src/main/shell/command-line-tool';
import { attentionLook, overlayImageFile, runtimeImagesDir, trayImageFile } from '../../../src/main/shell/desktop-images';

describe('tray, badge and overlay', () => {
  it('picks the tray image for each desktop', () => {
    expect(trayImageFile('darwin', true)).toBe('trayTemplate.png');
    expect(trayImageFile('darwin', false)).toBe('trayTemplate.png');
    expect(trayImageFile('win32', true)).toBe('tray-light.png');
    expect(trayImageFile('win32', false)).toBe('tray-dark.png');
    expect(trayImageFile('linux', false)).toBe('tray-color.png');
  });

  it('Windows overlays: none at 0, the digit up to 9, then 9+', () => {
    expect([0, -1, NaN, 1, 9, 10, 250].map(overlayImageFile)).toEqual([null, null, null, 'overlay-1.png', 'overlay-9.png', 'overlay-9plus.png', 'overlay-9plus.png']);
  });

  it('says the count in the title, the tooltip and the macOS menu bar', () => {
    expect(attentionLook(0)).toEqual({ title: 'Token Vault', tooltip: 'Token Vault', overlayDescription: '0 tokens need attention', trayTitle: '' });
    expect(attentionLook(1)).toMatchObject({ title: 'Token Vault (1 need attention)', tooltip: 'Token Vault: 1 token needs attention', trayTitle: ' 1' });
    expect(attentionLook(12).tooltip).toBe('Token Vault: 12 tokens need attention');
  });

  it('reads images from resources/icons when packaged, from build/ while developing', () => {
    expect(runtimeImagesDir({ isPackaged: true, mainDir: '/x/app.asar/out/main', resourcesPath: '/opt/Token Vault/resources' })).toBe('/opt/Token Vault/resources/icons');
    expect(runtimeImagesDir({ isPackaged: false, mainDir: '/repo/out/main', resourcesPath: '/x' })).toBe('/repo/build/runtime-icons');
  });
});

describe('the application menu', () => {
  const labels = (items: MenuItemSpec[] | null): string[] => (items ?? []).flatMap((i) => [i.label ?? i.role ?? '', ...labels(i.submenu ?? null)]);

  it('macOS: an app menu with "Install Command Line Tool…", and the Edit roles Cmd+C/Cmd+V need', () => {
    const mac = appMenuTemplate('darwin', { productName: 'Token Vault', isPackaged: true });
    expect(mac?.[0]?.label).toBe('Token Vault');
    expect(mac?.[0]?.submenu?.find((i) => i.label === INSTALL_CLI_LABEL)?.action).toBe('install-command-line-tool');
    expect(labels(mac)).toContain('editMenu');
    expect(labels(mac)).not.toContain('toggleDevTools');
  });

  it('Windows and Linux: no menu bar in the packaged app; reload and devtools while developing', () => {
    expect(appMenuTemplate('win32', { productName: 'Token Vault', isPackaged: true })).toBeNull();
    expect(appMenuTemplate('linux', { productName: 'Token Vault', isPackaged: true })).toBeNull();
    expect(labels(appMenuTemplate('linux', { productName: 'Token Vault', isPackaged: false }))).toContain('toggleDevTools');
    expect(labels(appMenuTemplate('linux', { productName: 'Token Vault', isPackaged: false }))).not.toContain(INSTALL_CLI_LABEL);
  });
});

describe('macOS "Install Command Line Tool…"', () => {
  it('links to the launcher inside the bundle, wherever the bundle is', () => {
    expect(commandLineToolPlan('/Applications/Token Vault.app/Contents/MacOS/Token Vault')).toEqual({
      launcher: '/Applications/Token Vault.app/Contents/Resources/bin/token-vault',
      link: '/usr/local/bin/token-vault',
    });
    expect(commandLineToolPlan('/repo/node_modules/electron/dist/electron')).toBeNull();
  });

  it('the administrator command survives quotes, spaces and backslashes in the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-cli-link-'));
    try {
      const bundle = join(dir, `Ann's "Apps" \\ [x]`, 'Token Vault.app');
      const plan = { ...commandLineToolPlan(join(bundle, 'Contents', 'MacOS', 'Token Vault'))!, link: join(dir, 'usr local', 'bin', 'token-vault') };
      // What osascript hands to /bin/sh after reading the AppleScript string literal back.
      const script = adminScript(plan);
      const literal = /^do shell script "(.*)" with administrator privileges$/s.exec(script)?.[1] ?? '';
      const unescaped = literal.replace(/\\(["\\])/g, '$1');
      expect(unescaped).toBe(linkCommand(plan));
      const run = spawnSync('/bin/sh', ['-c', unescaped], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(readlinkSync(plan.link)).toBe(plan.launcher);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installs without a prompt where the folder is writable, and says so when it is already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-cli-link-'));
    try {
      const launcher = join(dir, 'Token Vault.app', 'Contents', 'Resources', 'bin', 'token-vault');
      mkdirSync(join(dir, 'Token Vault.app', 'Contents', 'Resources', 'bin'), { recursive: true });
      writeFileSync(launcher, '#!/bin/sh\n');
      const plan = { launcher, link: join(dir, 'bin', 'token-vault') };
      expect(await installCommandLineTool(plan)).toEqual({ kind: 'installed', link: plan.link });
      expect(lstatSync(plan.link).isSymbolicLink()).toBe(true);
      expect(await installCommandLineTool(plan)).toEqual({ kind: 'already-installed', link: plan.link });
      const blocked = { launcher, link: '/proc/token-vault-cannot-be-here' };
      expect((await installCommandLineTool(blocked)).kind).toBe('needs-admin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
