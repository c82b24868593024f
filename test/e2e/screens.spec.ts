import type { Page } from '@playwright/test';
import { expect, openUnlockedVault, saveScreen, test } from './app-fixture';
import { DEMO_TOKEN_COUNT, seedDemoVault } from './demo-vault';

/**
 * The screenshots of issue 12: the list with a token open, and the Attention view, at 1280x800 and 1024x700, light and
 * dark, from the same demo vault. `SCREENS=before` names them before-*.png (taken from main before the redesign);
 * otherwise after-*.png. Also prints how many rows of the list are fully visible at 1280x800.
 */
const PREFIX = process.env['SCREENS'] === 'before' ? 'before' : 'after';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** Rows whose whole box lies inside the list's visible box. */
async function fullyVisibleRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('[role=listbox]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[role=option]')].filter((o) => {
      const r = o.getBoundingClientRect();
      return r.top >= list.top - 0.5 && r.bottom <= list.bottom + 0.5 && r.height > 0;
    }).length;
  });
}

test('screenshots: list with details and the Attention view, two sizes, both themes', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  const list = page.getByRole('listbox', { name: 'Tokens' });
  await expect(list.getByRole('option')).not.toHaveCount(0);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^All tokens/ }).click();
      await list.getByRole('option').filter({ hasText: 'release-bot' }).click();
      await page.mouse.move(0, 0);
      await saveScreen(page, `${PREFIX}-list-${size.width}x${size.height}-${theme}`);
      if (size.width === 1280 && theme === 'light') {
        const rows = await fullyVisibleRows(page);
        console.log(`[screens] ${PREFIX}: ${rows} of ${DEMO_TOKEN_COUNT} tokens fully visible in the list at 1280x800`);
      }
      await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^Attention/ }).click();
      await saveScreen(page, `${PREFIX}-attention-${size.width}x${size.height}-${theme}`);
    }
  }
});
