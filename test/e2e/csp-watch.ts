import type { Page } from '@playwright/test';
import { expect, type test } from './app-fixture';

type Watched = Window & { __cspViolations?: string[] };

/**
 * Records every Content-Security-Policy violation of the page (the app's policy has no 'unsafe-inline': a library
 * that injects a <style> element or a style attribute breaks it). Call before openUnlockedVault: the listener is
 * installed in this document and in every one the page loads later.
 */
export async function watchCsp(page: Page): Promise<void> {
  const listen = () => {
    const w = window as Watched;
    if (w.__cspViolations) return;
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations?.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sample || e.sourceFile})`);
    });
  };
  await page.addInitScript(listen);
  await page.evaluate(listen);
}

/** The violations recorded since watchCsp in the page's current document. */
export const cspViolations = (page: Page): Promise<string[]> => page.evaluate(() => (window as Watched).__cspViolations ?? []);

/**
 * Every test of the calling spec file fails on a Content-Security-Policy violation (until the shared fixture watches
 * every page, as the Electron branch's does).
 */
export function failOnCspViolations(t: typeof test): void {
  t.beforeEach(async ({ app }) => watchCsp(app.page));
  t.afterEach(async ({ app }) => {
    const violations = await cspViolations(app.page).catch(() => [] as string[]);
    expect(violations, 'the page broke its Content-Security-Policy').toEqual([]);
  });
}
