import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PLAYWRIGHT_DISABLED_FEATURES } from './chromium';

// The end-to-end tests' Chromium switches: ours replace Playwright's --disable-features (Chromium keeps the last one),
// so they must carry Playwright's list, and the popup they turn off must be off.
describe("the end-to-end tests' Chromium switches", () => {
  it("repeat every feature Playwright's launcher disables", () => {
    const core = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
    const bundle = readFileSync(join(core, 'lib', 'coreBundle.js'), 'utf8');
    const start = bundle.indexOf('disabledFeatures = [');
    const end = bundle.indexOf('].filter(Boolean)', start);
    expect(start, "playwright-core no longer names its list disabledFeatures: see how it passes --disable-features now").toBeGreaterThan(0);
    const theirs = [...bundle.slice(start, end).replace(/\/\/.*$/gm, '').matchAll(/"([A-Za-z0-9]+)"/g)].map((m) => m[1]);
    expect(theirs.length).toBeGreaterThan(5);
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(expect.arrayContaining(theirs));
    expect(CHROMIUM_ARGS.filter((a) => a.startsWith('--disable-features='))).toHaveLength(1);
  });

  it('a new browser context opens no address-bar popup renderer', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext();
      await context.newPage();
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
      expect(targetInfos.filter((t) => t.type === 'page').length).toBe(1);
      expect(targetInfos.filter((t) => t.url.includes('omnibox-popup'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
