import { expect, test, vaultOf } from './app-fixture';

const SECRET = 'kc_4d2f8a1c9e7b3d5f0a6c8e2b4d6f8a0c';

// Needs a real Secret Service (npm test runs Playwright under scripts/with-keyring.sh); skips, saying why, elsewhere.
test('keychain-only vault: reveal again asks for an explicit confirmation instead of a password', async ({ app }) => {
  const { page } = app;
  const service = app.service;
  test.skip(!service, 'creates a keychain-only vault through this process\'s service (the bridge); the Electron runs cover keychain unlock in keychain-setup');
  const available = await service!.session.keychain.isAvailable();
  if (!available) console.log('[keychain-reveal] skipped: no Secret Service answers in this process (run under scripts/with-keyring.sh)');
  test.skip(!available, 'no Secret Service answers in this process');

  await service!.handlers['vault:create']({ useKeychain: true });
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Keyring' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'kc-token', secret: SECRET, prefix: 'kc_4d2f8' });
  await page.reload();

  await page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'kc-token' }).click();
  await page.getByRole('button', { name: 'Reveal…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reveal "kc-token"' });
  await expect(dialog.getByLabel('Master password')).toHaveCount(0);
  await expect(dialog).toContainText('Confirm that you want to show this secret on screen.');
  await dialog.getByRole('button', { name: 'Yes, show it' }).click();
  await expect(dialog.getByLabel('Secret')).toHaveValue(SECRET);
  expect(vault.audit.list({ tokenId: vault.tokens.list()[0]!.id }).some((a) => a.action === 'revealed')).toBe(true);
  await dialog.getByRole('button', { name: 'Done' }).click();
  expect(await page.content()).not.toContain(SECRET);

  // Settings: the keychain control is usable here and on.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByRole('checkbox', { name: 'Unlock with the system keychain' })).toBeChecked();
});
