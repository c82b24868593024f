import { expect, expectNoSeriousA11yViolations, openUnlockedVault, test, TEST_PASSWORD, vaultOf } from './app-fixture';
import { failOnCspViolations } from './csp-watch';
import { seedDemoVault } from './demo-vault';

failOnCspViolations(test);

/** Issue 12, "Keyboard": the shortcuts people who use 1Password and KeePassXC reach for, and the palette. */
const secretOf = (prefix: string, name: string) => `${prefix}${name.replace(/-/g, '')}0123456789abcdef`;
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

test('search is at most 3 Tab presses away; Ctrl+F and / focus it; Down goes into the list', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  const search = page.getByRole('searchbox', { name: 'Search tokens' });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let presses = 0;
  while (presses < 3 && !(await search.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    presses++;
  }
  await expect(search).toBeFocused();

  const list = page.getByRole('listbox', { name: 'Tokens' });
  await list.focus();
  await page.keyboard.press(`${MOD}+f`);
  await expect(search).toBeFocused();
  await page.keyboard.type('release');
  await page.keyboard.press('ArrowDown');
  await expect(list).toBeFocused();
  await expect(list.getByRole('option', { selected: true })).toContainText('release-bot');
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('release');
});

test('Ctrl+C copies the selected secret through main and clears it; Ctrl+Shift+C copies the prefix', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  vaultOf(app).settings.update({ clipboardClearSeconds: 2 });
  await seedDemoVault(app);
  const list = page.getByRole('listbox', { name: 'Tokens' });
  await list.getByRole('option').filter({ hasText: 'dns-edit' }).click();
  await page.keyboard.press(`${MOD}+c`);
  await expect.poll(() => app.clipboardText()).toBe(secretOf('cf_', 'dns-edit'));
  await expect(page.getByRole('timer')).toHaveText(/Clipboard clears in [12] s/);
  await expect.poll(() => app.clipboardText(), { timeout: 5000 }).toBe('');
  await page.keyboard.press(`${MOD}+Shift+c`);
  await expect.poll(() => app.clipboardText()).toBe('cf_');
  // Text the user selected is copied as text, not replaced by a secret.
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('dns');
  await page.getByRole('searchbox', { name: 'Search tokens' }).selectText();
  await app.writeClipboard('untouched');
  await page.keyboard.press(`${MOD}+c`);
  await page.waitForTimeout(300);
  expect(await app.clipboardText()).toBe('untouched');
});

test('Ctrl+N new token, ? lists the shortcuts, Ctrl+L locks', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  await page.getByRole('listbox', { name: 'Tokens' }).focus();
  await page.keyboard.press(`${MOD}+n`);
  await expect(page.getByRole('dialog', { name: /New token|Add a token/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const what of ['Quick open', 'Search the list', "Copy the selected token's secret", "Copy the selected token's prefix", 'New token', 'Lock the vault']) await expect(help).toContainText(what);
  await expectNoSeriousA11yViolations(page, 'help sheet');
  await page.keyboard.press('Escape');

  await page.keyboard.press(`${MOD}+l`);
  await expect(page.getByRole('heading', { name: 'Token Vault is locked' })).toBeVisible();
});

test('quick open: from launch to a copied secret: the password, Enter, Ctrl+K, three letters, Enter; Shift+Enter opens', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  await app.service!.handlers['vault:lock'](undefined);
  await page.reload();

  // Launch: the lock screen with the password field focused.
  let keystrokes = 0;
  const press = async (key: string) => {
    keystrokes++;
    await page.keyboard.press(key);
  };
  await expect(page.getByLabel('Master password')).toBeFocused();
  await page.keyboard.type(TEST_PASSWORD);
  await press('Enter');
  await expect(page.getByRole('listbox', { name: 'Tokens' })).toBeVisible();
  await press(`${MOD}+k`);
  const palette = page.getByRole('dialog', { name: 'Quick open' });
  await expect(palette).toBeVisible();
  for (const key of 'rel') await press(key);
  await expect(palette.getByRole('option').first()).toContainText('release-bot');
  await press('Enter');
  await expect.poll(() => app.clipboardText()).toBe(secretOf('glpat-', 'release-bot'));
  await expect(palette).toBeHidden();
  console.log(`[keystrokes] launch to a copied secret with the palette: the master password, then ${keystrokes} keystrokes`);
  expect(keystrokes).toBeLessThanOrEqual(6);

  // Shift+Enter opens the token in the list, even one a filter hid.
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('zzz');
  await page.keyboard.press(`${MOD}+k`);
  await page.keyboard.type('dns');
  await expectNoSeriousA11yViolations(page, 'quick open');
  await page.keyboard.press('Shift+Enter');
  await expect(page.getByRole('region', { name: 'dns-edit' })).toBeVisible();
  await expect(page.locator('#details-title')).toBeFocused();
  await expect(page.getByRole('listbox', { name: 'Tokens' }).getByRole('option', { selected: true })).toContainText('dns-edit');

  // Actions are in the palette too.
  await page.keyboard.press(`${MOD}+k`);
  await page.keyboard.type('lock');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Token Vault is locked' })).toBeVisible();
});

test('details follow the list: a search with no hits, another workspace or a filter clears the selection', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  const list = page.getByRole('listbox', { name: 'Tokens' });
  const details = page.getByRole('region', { name: 'release-bot' });
  const select = async () => {
    await list.getByRole('option').filter({ hasText: 'release-bot' }).click();
    await expect(details.getByRole('button', { name: 'Copy secret' })).toBeVisible();
  };

  await select();
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('no such token');
  await expect(page.getByRole('heading', { name: 'No tokens match' })).toBeVisible();
  await expect(details).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Copy secret' })).toHaveCount(0);
  // Ctrl+C has nothing to copy now.
  await app.writeClipboard('before');
  await page.getByRole('heading', { name: 'No tokens match' }).click();
  await page.keyboard.press(`${MOD}+c`);
  await page.waitForTimeout(300);
  expect(await app.clipboardText()).toBe('before');
  // Clearing the search does not bring back a stale selection.
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('');
  await expect(list.getByRole('option', { selected: true })).toHaveCount(0);

  await select();
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^npm-registry/ }).click();
  await expect(details).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^All tokens/ }).click();
  await select();
  await page.getByRole('button', { name: /^Filter/ }).click();
  await page.getByRole('menuitemradio', { name: 'Revoked', exact: true }).click();
  await expect(details).toHaveCount(0);
  await expect(list.getByRole('option')).toHaveCount(2);
});
