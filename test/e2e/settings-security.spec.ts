import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, TEST_PASSWORD, vaultOf } from './app-fixture';

const DAY = 86_400_000;
const NEW_PASSWORD = 'a much longer new passphrase';

test('settings: global rotation policy, keychain unlock (disabled, with the reason, where no keychain answers), change the master password', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Infra' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'old-key', secret: 'old_key_0123456789abcdef', prefix: 'old_', createdAt: new Date(Date.now() - 60 * DAY).toISOString() });
  await page.reload();
  const card = page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'old-key' });
  await expect(card).not.toContainText(/rotation due/i);

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const keychain = dialog.getByRole('checkbox', { name: 'Unlock with the system keychain' });
  if (await app.keychainAvailable()) {
    // Under scripts/with-keyring.sh: turn keychain unlock on and off again.
    await keychain.click();
    await expect(keychain).toBeChecked();
    expect(vault.keys.methods()).toEqual({ password: true, keychain: true });
    await keychain.click();
    await expect(keychain).not.toBeChecked();
    expect(vault.keys.methods().keychain).toBe(false);
  } else {
    // No Secret Service answers in this browser process: the control says so and cannot be used.
    await expect(keychain).toBeDisabled();
    await expect(dialog.getByText('No system keychain answered on this computer, so this option is not available.')).toBeVisible();
  }
  await expectNoSeriousA11yViolations(page, 'settings (security)');
  await saveScreen(page, 'settings-security');

  // The global rotation policy applies to tokens with no policy of their own.
  await dialog.getByLabel('Rotate every (days, empty for none)').fill('30');
  await dialog.getByLabel('Count from').selectOption('issue');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByText('Settings saved.')).toBeVisible();
  expect(vault.settings.get().rotationPolicy).toEqual({ rotateEveryDays: 30, basis: 'issue' });

  // Change the master password: the current one is checked first.
  await dialog.getByLabel('Current master password').fill('not the password');
  await dialog.getByLabel('New master password', { exact: true }).fill(NEW_PASSWORD);
  await dialog.getByLabel('Repeat new master password').fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/password/i);
  await dialog.getByLabel('Current master password').fill(TEST_PASSWORD);
  await dialog.getByLabel('New master password', { exact: true }).fill(NEW_PASSWORD);
  await dialog.getByLabel('Repeat new master password').fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('Master password changed.')).toBeVisible();
  await expect(dialog.getByLabel('Current master password')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(card).toContainText(/rotation due/i);

  // The new password opens the vault; the old one no longer does.
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Master password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Master password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Workspaces' })).toBeVisible();
});
