import { expect, expectNoSeriousA11yViolations, test, TEST_PASSWORD } from './app-fixture';

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

test('with keychain unlock on and a master password, the lock screen unlocks from the keychain first, the password as fallback; Settings says so', async ({ app }) => {
  const { page, service } = app;
  const available = await service!.session.keychain.isAvailable();
  test.skip(!available, 'no Secret Service answers in this process');
  await service!.handlers['vault:create']({ password: TEST_PASSWORD, useKeychain: true });
  await page.reload();
  expect(service!.session.requireUnlocked().keys.methods()).toEqual({ password: true, keychain: true });

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('checkbox', { name: 'Unlock with the system keychain' })).toBeChecked();
  await expect(settings.getByText('Unlock uses the system keychain first')).toBeVisible();
  await expect(settings.getByText('The master password still unlocks the vault when the keychain cannot.')).toBeVisible();
  await page.keyboard.press('Escape');

  // Keychain first: no password asked.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Token Vault is locked' })).toBeVisible();
  await expect(page.getByLabel('Master password')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'keychain-first lock');
  await page.getByRole('button', { name: 'Unlock with the keychain' }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();

  // The password, when asked for.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('button', { name: 'Use the master password instead' }).click();
  await page.getByLabel('Master password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();

  // The keychain lost its entry (as keytar answers then: null): the password is asked for at once.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  const keychain = service!.session.keychain;
  const realGet = keychain.get.bind(keychain);
  keychain.get = () => Promise.resolve(null);
  try {
    await page.getByRole('button', { name: 'Unlock with the keychain' }).click();
    await expect(page.getByText('The system keychain did not unlock the vault. Enter the master password instead.')).toBeVisible();
    await page.getByLabel('Master password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();
  } finally {
    keychain.get = realGet;
  }
});
