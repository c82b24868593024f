import { expect, expectNoSeriousA11yViolations, test } from './app-fixture';

test('with a system keychain, the vault is created without a password and unlocks from the keychain', async ({ app }) => {
  const { page } = app;
  const available = await app.keychainAvailable();
  const state = async () => {
    const result = await page.evaluate(() => window.tokenVault.vault.getState());
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  if (!available) console.log('[keychain-setup] skipped: no Secret Service answers in this process (npm test runs Playwright under scripts/with-keyring.sh)');
  test.skip(!available, 'no Secret Service answers in this process');

  await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
  await expect(page.getByText('The key is kept in your system keychain')).toBeVisible();
  // A master password is optional here: leave it off.
  await expect(page.getByLabel('Use a master password')).not.toBeChecked();
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();
  expect(await state()).toMatchObject({ unlocked: true, passwordUnlock: false, keychainUnlock: true });

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Token Vault is locked' })).toBeVisible();
  await expect(page.getByText('Your system keychain holds the key to this vault.')).toBeVisible();
  await expect(page.getByLabel('Master password')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'keychain lock');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();
  expect((await state()).unlocked).toBe(true);
});
