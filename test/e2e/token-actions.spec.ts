import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, TEST_PASSWORD, vaultOf } from './app-fixture';

const SECRET = 'mnl_7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e';

test('manual workspace: add it, paste a token, see its card, copy with a countdown that clears the clipboard', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await vaultOf(app).settings.update({ clipboardClearSeconds: 2 });

  await page.getByRole('button', { name: 'Add your first workspace' }).click();
  const wsDialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await wsDialog.getByLabel('Service', { exact: true }).selectOption('manual');
  await wsDialog.getByLabel('Workspace name').fill('Stripe');
  // Manual workspaces have no admin credential, but a link to the service's token page.
  await expect(wsDialog.getByLabel('Token page URL')).toBeVisible();
  await expect(wsDialog.getByLabel(/admin|credential|password/i)).toHaveCount(0);
  await wsDialog.getByLabel('Token page URL').fill('https://dashboard.stripe.com/apikeys');
  await expectNoSeriousA11yViolations(page, 'add workspace');
  await wsDialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(wsDialog).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^Stripe 0 tokens/ })).toBeVisible();

  await page.getByRole('button', { name: 'New token' }).click();
  const add = page.getByRole('dialog', { name: 'Add a token' });
  await add.getByLabel('Name').fill('payments-prod');
  await add.getByLabel('Description').fill('Charges customers');
  await add.getByLabel('Secret').fill(SECRET);
  await add.getByLabel('Custom date').check();
  const in60 = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  await add.getByLabel('Expiry date').fill(in60);
  await add.getByRole('button', { name: 'Add token' }).click();
  await expect(add).toBeHidden();

  const card = page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'payments-prod' });
  await expect(card).toContainText('mnl_7f3a');
  await expect(card).toContainText('Stripe · Manual');
  await expect(card).toContainText('Active');
  await expect(card).toContainText(/Expires in (59|60) days/);
  // A pasted token's use is unknown: neither the row nor the details say "Never used".
  await expect(card).not.toContainText('Never used');
  const details = page.getByRole('region', { name: 'payments-prod' });
  await expect(details).not.toContainText('Never used');
  await expect(details).toContainText('Charges customers');
  await expectNoSeriousA11yViolations(page, 'card details');
  await saveScreen(page, 'card-details');
  // The secret never reaches the page unless asked for.
  expect(await page.content()).not.toContain(SECRET);

  await details.getByRole('button', { name: 'Copy secret' }).click();
  await expect(page.getByRole('timer')).toHaveText(/Clipboard clears in [12] s/);
  expect(await app.clipboardText()).toBe(SECRET);
  await expect.poll(() => app.clipboardText(), { timeout: 5000 }).toBe('');
  await expect(page.getByText('Clipboard cleared.')).toBeVisible();

  // Something else copied meanwhile is left alone.
  await details.getByRole('button', { name: 'Copy secret' }).click();
  await app.writeClipboard('my own note');
  await page.waitForTimeout(2500);
  expect(await app.clipboardText()).toBe('my own note');

  await details.getByRole('button', { name: 'Copy prefix' }).click();
  await expect.poll(() => app.clipboardText()).toBe('mnl_7f3a');

  const audit = vaultOf(app).audit.list({ tokenId: (await vaultOf(app).tokens.list())[0]!.id });
  expect(audit.filter((a) => a.action === 'copied').length).toBe(2);
});

test('reveal again asks for the master password, is audited and hides the secret after the time is up', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'OpenRouter' });
  const token = vault.tokens.storeIssued({ workspaceId: ws.id, name: 'router-key', secret: SECRET, prefix: 'mnl_7f3a' });
  await page.reload();

  await page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'router-key' }).click();
  await page.getByRole('button', { name: 'Reveal…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reveal "router-key"' });
  await dialog.getByLabel('Master password').fill('wrong password!');
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/password/i);
  await dialog.getByLabel('Master password').fill(TEST_PASSWORD);
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog.getByLabel('Secret')).toHaveValue(SECRET);
  await expect(dialog.getByRole('timer')).toContainText(/Hidden again in (30|29|28) s/);
  expect(vault.audit.list({ tokenId: token.id }).some((a) => a.action === 'revealed')).toBe(true);
  await dialog.getByRole('button', { name: 'Hide now' }).click();
  await expect(dialog.getByLabel('Secret')).toHaveCount(0);
  await page.keyboard.press('Escape');
  expect(await page.content()).not.toContain(SECRET);
});

test('usage snippets show a placeholder; copying puts the real Bearer header in the clipboard', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Acme', baseUrl: null });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'acme ci', secret: SECRET, prefix: 'mnl_7f3a' });
  await page.reload();
  await page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'acme ci' }).click();
  await page.getByRole('button', { name: 'Usage snippets…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Use "acme ci"' });
  await expect(dialog.getByRole('region', { name: 'curl' })).toContainText('Authorization: Bearer <YOUR_TOKEN>');
  await expect(dialog.getByRole('region', { name: 'Python requests' })).toContainText('"Authorization": "Bearer <YOUR_TOKEN>"');
  await expect(dialog.getByRole('region', { name: '.env line' })).toContainText('ACME_CI_TOKEN=<YOUR_TOKEN>');
  await expect(dialog.getByRole('region', { name: 'MCP server env block' })).toContainText('"ACME_CI_TOKEN": "<YOUR_TOKEN>"');
  expect(await page.content()).not.toContain(SECRET);
  await expectNoSeriousA11yViolations(page, 'snippets');

  await dialog.getByRole('button', { name: 'Copy curl' }).click();
  await expect.poll(() => app.clipboardText()).toBe(`curl -H "Authorization: Bearer ${SECRET}" https://api.example.com`);
  await dialog.getByRole('button', { name: 'Copy JavaScript fetch' }).click();
  await expect.poll(() => app.clipboardText()).toContain(`Authorization: 'Bearer ${SECRET}'`);
  await dialog.getByRole('button', { name: 'Copy .env line' }).click();
  await expect.poll(() => app.clipboardText()).toBe(`ACME_CI_TOKEN=${SECRET}`);
  await dialog.getByRole('button', { name: 'Copy MCP server env block' }).click();
  await expect.poll(async () => JSON.parse((await app.clipboardText()) || '{}')).toEqual({ mcpServers: { 'acme ci': { env: { ACME_CI_TOKEN: SECRET } } } });
});

test('edit name, description, notes and rotation policy; a due rotation shows on the card and in the filter', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Legacy' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'old-name', secret: SECRET, prefix: 'mnl_7f3a', createdAt: new Date(Date.now() - 100 * 86_400_000).toISOString() });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'fresh', secret: SECRET + 'x', prefix: 'mnl_7f3a' });
  await page.reload();
  await page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'old-name' }).click();
  await page.getByRole('button', { name: 'Edit…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit "old-name"' });
  await dialog.getByLabel('Name').fill('billing-worker');
  await dialog.getByLabel('Description').fill('Nightly invoices');
  await dialog.getByLabel('Notes').fill('Deployed in k8s secret billing/api');
  await dialog.getByLabel('Rotate every (days, empty for none)').fill('90');
  await dialog.getByLabel('Count rotation from').selectOption('issue');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const details = page.getByRole('region', { name: 'billing-worker' });
  await expect(details).toContainText('Nightly invoices');
  await expect(details).toContainText('Every 90 days');
  await expect(page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'billing-worker' })).toContainText(/rotation due/i);

  await page.getByRole('button', { name: /^Filter/ }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Rotation due' }).click();
  await expect(page.getByRole('listbox', { name: 'Tokens' }).getByRole('option')).toHaveCount(1);
  await expect(page.getByText('1 of 2 tokens')).toBeVisible();
});
