import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { createSenderCheck } from '../../../src/main/shell/trusted-sender';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium';

/** What Electron's webContents.loadFile hands to loadURL (lib/browser/api/web-contents.ts): url.format, not pathToFileURL. */
const electronLoadFileUrl = (path: string) => format({ protocol: 'file', slashes: true, pathname: path });

const rendererFile = '/opt/Token Vault/resources/app.asar/out/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;

describe('only the app page is a trusted sender', () => {
  const packaged = createSenderCheck({ rendererFile });
  const dev = createSenderCheck({ rendererFile, devServerUrl: 'http://localhost:5173/' });

  it('trusts the packaged page, with or without a hash or a query', () => {
    expect(packaged({ isMainFrame: true, url: appUrl })).toBe(true);
    expect(packaged({ isMainFrame: true, url: `${appUrl}#/tokens` })).toBe(true);
    expect(packaged({ isMainFrame: true, url: `${appUrl}?x=1` })).toBe(true);
  });

  it('refuses other files, other origins, hosts, encoded slashes and garbage', () => {
    expect(packaged({ isMainFrame: true, url: pathToFileURL('/tmp/evil.html').href })).toBe(false);
    expect(packaged({ isMainFrame: true, url: pathToFileURL('/opt/Token Vault/resources/app.asar/out/renderer/index.html.evil').href })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'file://evil.example/opt/Token%20Vault/resources/app.asar/out/renderer/index.html' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'file:///opt/Token%20Vault%2Fresources/app.asar/out/renderer/index.html' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'https://evil.example/' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: 'http://localhost:5173/' })).toBe(false);
    expect(packaged({ isMainFrame: true, url: '' })).toBe(false);
  });

  it('sees through dot segments the way URLs resolve them', () => {
    expect(packaged({ isMainFrame: true, url: 'file:///opt/Token%20Vault/resources/app.asar/out/x/../renderer/index.html' })).toBe(true);
    expect(packaged({ isMainFrame: true, url: 'file:///opt/Token%20Vault/resources/app.asar/out/renderer/../evil/index.html' })).toBe(false);
  });

  it('trusts the dev server origin only while developing', () => {
    expect(dev({ isMainFrame: true, url: 'http://localhost:5173/index.html' })).toBe(true);
    expect(dev({ isMainFrame: true, url: 'http://localhost:5174/' })).toBe(false);
  });

  it('on Windows, compares drive paths without regard to case or slash direction', () => {
    const check = createSenderCheck({ rendererFile: 'C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\Token Vault [x]\\resources\\app.asar\\out\\renderer\\index.html', platform: 'win32' });
    expect(check({ isMainFrame: true, url: 'file:///c:/Users/Ann%20Lee/AppData/Local/Programs/Token%20Vault%20[x]/resources/app.asar/out/renderer/index.html' })).toBe(true);
    expect(check({ isMainFrame: true, url: 'file:///D:/Users/Ann%20Lee/AppData/Local/Programs/Token%20Vault%20[x]/resources/app.asar/out/renderer/index.html' })).toBe(false);
  });
});

describe('an install path with spaces and [ ] | ^ # in it, as real Chromium spells the page URL', () => {
  it.each([
    ['spaces and brackets', 'Token Vault [beta]'],
    ['a pipe, a caret and a hash', 'tv|x^y#2'],
    ['percent and unicode', '100% Tøken'],
    ['everything at once', 'A B [c] |d| ^e^ #f #'],
  ])('%s', async (_name, folder) => {
    const root = mkdtempSync(join(tmpdir(), 'tv sender '));
    const dir = join(root, folder, 'resources', 'app.asar', 'out', 'renderer');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'index.html');
    writeFileSync(file, '<!doctype html><title>x</title>');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(electronLoadFileUrl(file));
      // The URL the frame reports is Chromium's canonical form of what Electron loaded.
      const frameUrl = await page.evaluate(() => location.href);
      expect(createSenderCheck({ rendererFile: file })({ isMainFrame: true, url: frameUrl }), frameUrl).toBe(true);
      expect(createSenderCheck({ rendererFile: join(root, 'other', 'index.html') })({ isMainFrame: true, url: frameUrl })).toBe(false);
    } finally {
      await browser.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
