import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, type Seed } from './app-fixture';

const DAY = 86_400_000;
const cards = (page: Page) => page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
/** The filter and sort menus of the toolbar (Radix menus: menuitemradio / menuitemcheckbox). */
async function filterBy(page: Page, item: string) {
  await page.getByRole('button', { name: /^Filter/ }).click();
  await page.getByRole('menuitemradio', { name: item, exact: true }).click();
}
async function sortBy(page: Page, item: string) {
  await page.getByRole('button', { name: /^Sort:/ }).click();
  await page.getByRole('menuitemradio', { name: item, exact: true }).click();
}

/**
 * 3,000 tokens in three workspaces through the vault's bulk import, plus a few with known dates and statuses.
 * Written before the window shows the vault (in Electron, before the app starts).
 */
const seed: Seed = (vault) => {
  const records = Array.from({ length: 3000 }, (_, i) => ({
    workspace: ['alpha', 'beta', 'gamma'][i % 3]!,
    name: `bulk-token-${String(i).padStart(4, '0')}`,
    secret: `bulk_${i}_secret_value_abcdef`,
    prefix: 'bulk_',
    createdAt: iso(-400 + (i % 300)),
    expiresAt: iso(200 + (i % 500)),
  }));
  vault.tokens.import(records, 'test');
  const alpha = vault.workspaces.findByName('alpha')!;
  vault.tokens.insert({ workspaceId: alpha.id, name: 'zeta-expiring', prefix: 'zz_', expiresAt: iso(5), lastUsedAt: iso(-1), createdAt: iso(-30) });
  vault.tokens.insert({ workspaceId: alpha.id, name: 'aaa-expired', prefix: 'aa_', status: 'active', expiresAt: iso(-2), createdAt: iso(-90) });
  vault.tokens.insert({ workspaceId: alpha.id, name: 'revoked-one', prefix: 'rv_', status: 'revoked', createdAt: iso(-10) });
  vault.tokens.insert({ workspaceId: alpha.id, name: 'gone-remote', prefix: 'gr_', status: 'revoked-remote', createdAt: iso(-10) });
  vault.tokens.insert({ workspaceId: alpha.id, name: 'paused', prefix: 'pa_', status: 'inactive', createdAt: iso(-10) });
};

test('search, filters, sort and a virtualized list over 3,000 tokens', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app, seed);
  await expect(page.getByText('3,005 of 3,005 tokens')).toBeVisible();
  // Only the rows on screen exist in the page.
  expect(await cards(page).count()).toBeLessThan(40);
  await expectNoSeriousA11yViolations(page, 'list');
  await saveScreen(page, 'list');

  // Default sort is by expiry: the one expiring in 5 days first; ended tokens (expired, revoked) go last.
  await expect(cards(page).nth(0)).toContainText('zeta-expiring');
  await expect(cards(page).nth(0)).toContainText(/in [45]d/);
  await expect(cards(page).nth(0).locator('.row-expiry')).toHaveClass(/urgency-week/);

  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('bulk-token-012');
  await expect(page.getByText('10 of 3,005 tokens')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('');

  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  await sidebar.getByRole('button', { name: /^beta/ }).click();
  await expect(page.getByText('1,000 of 3,005 tokens')).toBeVisible();
  await sidebar.getByRole('button', { name: /^All tokens/ }).click();

  await filterBy(page, 'Revoked at the service');
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toContainText('Revoked at the service');
  await filterBy(page, 'Inactive');
  await expect(cards(page).first()).toContainText('paused');
  await filterBy(page, 'Expired');
  await expect(cards(page).first()).toContainText('aaa-expired');
  await expect(page.getByRole('button', { name: 'Filter, 1 on' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove filter Expired' }).click();
  await expect(page.getByText('3,005 of 3,005 tokens')).toBeVisible();

  await filterBy(page, 'Expiring within 7 days');
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toContainText('zeta-expiring');
  await filterBy(page, 'Any expiry');

  await sortBy(page, 'Name');
  await expect(cards(page).nth(0)).toContainText('bulk-token-0000');
  await sortBy(page, 'Last used');
  await expect(cards(page).nth(0)).toContainText('zeta-expiring');
  await sortBy(page, 'Created');
  await expect(cards(page).nth(0)).not.toContainText('aaa-expired');

  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('no such token anywhere');
  await expect(page.getByRole('heading', { name: 'No tokens match' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText('3,005 of 3,005 tokens')).toBeVisible();
});

test('full keyboard use: list navigation, details, dialogs, and the dark theme', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app, seed);
  await expect(page.getByText('3,005 of 3,005 tokens')).toBeVisible();
  await sortBy(page, 'Name');
  const list = page.getByRole('listbox', { name: 'Tokens' });
  await list.focus();
  await expect(list.getByRole('option', { selected: true })).toContainText('bulk-token-0000');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option', { selected: true })).toContainText('bulk-token-0001');
  // Ended tokens (expired, revoked) come last.
  await page.keyboard.press('End');
  await expect(list.getByRole('option', { selected: true })).toContainText('revoked-one');
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  await expect(list.getByRole('option', { selected: true })).not.toContainText('bulk-token-0000');
  await page.keyboard.press('Enter');
  await expect(page.locator('#details-title')).toBeFocused();

  // Tab reaches the actions; Enter opens a dialog; Escape closes it and focus returns.
  const edit = page.getByRole('button', { name: 'Edit…' });
  await edit.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(edit).toBeFocused();

  await page.emulateMedia({ colorScheme: 'dark' });
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
  expect(background).toBe('#101216');
  await expectNoSeriousA11yViolations(page, 'list (dark)');
  await saveScreen(page, 'list-dark');
});
