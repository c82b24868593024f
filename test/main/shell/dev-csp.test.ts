import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { devContentSecurityPolicy } from '../../../electron.vite.config';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../../src/main/shell/window-security';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium';

const metaPolicy = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

describe('the shipped page keeps the strict policy', () => {
  it('the built index.html carries exactly CONTENT_SECURITY_POLICY, with no dev allowance', () => {
    const built = resolve('out/renderer/index.html');
    expect(existsSync(built), 'run `npm run build` first (npm test does)').toBe(true);
    const policy = metaPolicy(readFileSync(built, 'utf8'));
    expect(policy).toBe(CONTENT_SECURITY_POLICY);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|sha256-|\*/);
  });

  it('the dev allowance is a serve-only plugin', () => {
    expect(devContentSecurityPolicy().apply).toBe('serve');
  });
});

// `npm run dev` for real: Vite's dev server with the app's renderer config, the page in Chromium.
describe('npm run dev: the dev server page is styled and breaks no policy', () => {
  let server: ViteDevServer;
  const open = async (plugins: ReturnType<typeof devContentSecurityPolicy>[]) => {
    server = await createServer({
      configFile: false,
      logLevel: 'silent',
      root: resolve('src/renderer'),
      plugins: [react(), ...plugins],
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { host: '127.0.0.1' } },
    });
    await server.listen();
    return server.resolvedUrls?.local[0] ?? '';
  };
  const violationsOn = async (url: string) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __violations: string[] }).__violations = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
      });
      await page.goto(url);
      // The page's own stylesheet arrives as a <style> element the dev server injects.
      await page.waitForFunction(() => document.querySelectorAll('style').length > 0, undefined, { timeout: 20_000 });
      await page.waitForTimeout(500);
      return {
        violations: await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
        bodyMargin: await page.evaluate(() => getComputedStyle(document.body).margin),
        policy: metaPolicy(await page.content()),
      };
    } finally {
      await browser.close();
    }
  };

  afterAll(async () => server?.close());

  it('with the dev plugin: no violation, the styles apply', async () => {
    const url = await open([devContentSecurityPolicy()]);
    const seen = await violationsOn(url);
    await server.close();
    expect(seen.violations).toEqual([]);
    expect(seen.bodyMargin).toBe('0px');
    expect(seen.policy).toBe(contentSecurityPolicy('dev', { inlineScripts: [react.preambleCode.replace('__BASE__', '/')] }));
  }, 60_000);

  it('without it, the shipped policy blocks the dev server (what `npm run dev` showed before)', async () => {
    const url = await open([]);
    const seen = await violationsOn(url).catch(() => ({ violations: ['no style applied'], bodyMargin: '', policy: '' }));
    await server.close();
    expect(seen.violations.length).toBeGreaterThan(0);
  }, 60_000);
});
