import type { Page } from '@playwright/test';
import { createCloudflareServer } from '../servers/contract/cloudflare-server';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

// Contract servers reproduce the services' admin APIs (PROVIDERS.md) on 127.0.0.1; one per file.
const gitlab = createGitlabServer();
const cloudflare = createCloudflareServer();
let gitlabUrl = '';
let cloudflareUrl = '';
test.beforeAll(async () => {
  gitlabUrl = await gitlab.server.start();
  cloudflareUrl = await cloudflare.server.start();
});
test.afterAll(async () => {
  await gitlab.server.stop();
  await cloudflare.server.stop();
});

const cards = (page: Page) => page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');

async function addWorkspace(page: Page, service: string, name: string, url: string, secret: string) {
  await page.getByRole('button', { name: 'Add workspace', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await dialog.getByLabel('Service', { exact: true }).selectOption({ label: service });
  await dialog.getByLabel('Workspace name').fill(name);
  await dialog.getByLabel('Service URL').fill(url);
  await dialog.getByLabel(/admin|API token/i).fill(secret);
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toBeHidden();
}

test('GitLab: add the workspace, sync with progress and errors, create with a one-time reveal, regenerate, revoke', async ({ app }) => {
  const { page } = app;
  gitlab.seed(3);
  await openUnlockedVault(app);

  // A wrong admin token is refused before anything is saved, with a message that says what to do.
  await page.getByRole('button', { name: 'Add your first workspace' }).click();
  let dialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await dialog.getByLabel('Service', { exact: true }).selectOption({ label: 'GitLab' });
  await expect(dialog.getByLabel('Personal access token (admin, scope api)')).toBeVisible();
  await expect(dialog.getByLabel(/username/i)).toHaveCount(0);
  await dialog.getByLabel('Workspace name').fill('gitlab-main');
  await dialog.getByLabel('Service URL').fill(gitlabUrl);
  await dialog.getByLabel('Personal access token (admin, scope api)').fill('glpat-wrong');
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await addWorkspace(page, 'GitLab', 'gitlab-main', gitlabUrl, gitlab.adminToken);
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  // A new workspace syncs at once: what the service already has is listed without asking.
  await expect(sidebar.getByRole('status').filter({ hasText: 'Synced 3 tokens: 3 new' })).toBeVisible();
  await expect(cards(page)).toHaveCount(3);
  await sidebar.getByRole('button', { name: 'Sync gitlab-main' }).click();
  await expect(sidebar.getByRole('status').filter({ hasText: 'Synced 3 tokens, no changes' })).toBeVisible();
  await expect(cards(page).first()).toContainText('GitLab');

  // Per-workspace sync error, in words.
  gitlab.server.inject({ kind: 'status', status: 500, path: /personal_access_tokens$/, times: 10 });
  await sidebar.getByRole('button', { name: 'Sync gitlab-main' }).click();
  await expect(sidebar.getByRole('alert')).toContainText('Sync failed');
  gitlab.server.clearFaults();

  // Create: the expiry options and scopes GitLab accepts.
  await page.getByRole('button', { name: 'New token' }).click();
  dialog = page.getByRole('dialog', { name: 'New token' });
  await expect(dialog.getByRole('radio', { name: '7 days' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: '90 days' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Custom date' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Never' })).toHaveCount(0);
  await dialog.getByLabel('Name').fill('deploy-bot');
  await dialog.getByLabel('Description').fill('CI deploys');
  await dialog.getByRole('radio', { name: '90 days' }).check();
  // GitLab needs a scope: the window asks for one instead of the service getting read_api silently.
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByRole('alert')).toContainText('at least one scope');
  expect(gitlab.tokens.some((t) => t.name === 'deploy-bot')).toBe(false);
  await dialog.getByRole('checkbox', { name: 'api', exact: true }).check();
  await expectNoSeriousA11yViolations(page, 'create');
  await saveScreen(page, 'create');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const reveal = page.getByRole('dialog', { name: 'Your new token' });
  await expect(reveal).toBeVisible();
  const secret = await reveal.getByLabel('Secret').inputValue();
  expect(secret).toMatch(/^glpat-/);
  // Focusing the field does not select the secret: on Linux a selection is also the middle-click buffer.
  await reveal.getByLabel('Secret').focus();
  expect(await reveal.getByLabel('Secret').evaluate((el: HTMLInputElement) => (el.selectionEnd ?? 0) - (el.selectionStart ?? 0))).toBe(0);
  await expect(reveal).toContainText('The service will not show this secret again');
  await expect(reveal).toContainText('keeps an encrypted copy');
  await expectNoSeriousA11yViolations(page, 'reveal');
  await saveScreen(page, 'reveal');
  // It closes only when acknowledged.
  await page.keyboard.press('Escape');
  await expect(reveal).toBeVisible();
  await reveal.getByRole('button', { name: 'Copy secret' }).click();
  await expect.poll(() => app.clipboardText()).toBe(secret);
  await reveal.getByRole('button', { name: 'I have saved it' }).click();
  await expect(reveal).toBeHidden();
  expect(await page.content()).not.toContain(secret);

  const card = cards(page).filter({ hasText: 'deploy-bot' });
  await expect(card).toContainText('glpat-');
  await expect(card).toContainText(/in 3 months|in 90 days|in 89 days/);
  const stored = vaultOf(app).tokens.list().find((t) => t.name === 'deploy-bot')!;
  expect(vaultOf(app).tokens.readSecret(stored.id)).toBe(secret);

  // Regenerate (GitLab rotates): confirm that the old secret stops working now.
  const details = page.getByRole('region', { name: 'deploy-bot' });
  await details.getByRole('button', { name: 'Regenerate…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Regenerate "deploy-bot"?' });
  await expect(confirm).toContainText('The old secret stops working now');
  // The expiry change is stated before it happens: the current expiry is kept, not GitLab's 7-day default.
  await expect(confirm.getByLabel('New expiry')).toHaveValue('keep');
  await expect(confirm).toContainText(/Keep the current expiry/);
  await expect(confirm).toContainText('Without a date GitLab would set 7 days from today');
  await confirm.getByRole('button', { name: 'Regenerate now' }).click();
  const again = page.getByRole('dialog', { name: 'Your regenerated token' });
  const secret2 = await again.getByLabel('Secret').inputValue();
  expect(secret2).toMatch(/^glpat-/);
  expect(secret2).not.toBe(secret);
  await again.getByRole('button', { name: 'I have saved it' }).click();
  await expect(card).toContainText(/in (2|3) months|in (89|90) days/);

  // Revoke: type the name to confirm.
  await page.getByRole('region', { name: 'deploy-bot' }).getByRole('button', { name: 'Revoke…' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke "deploy-bot"?' });
  const button = revoke.getByRole('button', { name: 'Revoke token' });
  await expect(button).toBeDisabled();
  await revoke.getByLabel('Type the token name to confirm').fill('deploy-bo');
  await expect(button).toBeDisabled();
  await revoke.getByLabel('Type the token name to confirm').fill('deploy-bot');
  await expectNoSeriousA11yViolations(page, 'revoke confirmation');
  await saveScreen(page, 'revoke-confirmation');
  await button.click();
  await expect(cards(page).filter({ hasText: 'deploy-bot' })).toContainText('Revoked');
  expect(gitlab.tokens.filter((t) => t.name === 'deploy-bot').every((t) => t.revoked)).toBe(true);

  // A token gone at the service shows as "Revoked at the service" after sync.
  gitlab.tokens.splice(gitlab.tokens.findIndex((t) => t.name === 'seed-0'), 1);
  await sidebar.getByRole('button', { name: 'Sync gitlab-main' }).click();
  await expect(cards(page).filter({ hasText: 'seed-0' })).toContainText('Revoked at the service');
});

test('Cloudflare: activate and deactivate where the service offers it; edit and remove the workspace', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await addWorkspace(page, 'Cloudflare', 'cf-zone', cloudflareUrl, cloudflare.adminToken);
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New token' });
  await dialog.getByLabel('Name').fill('dns-edit');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const reveal = page.getByRole('dialog', { name: 'Your new token' });
  if (await dialog.getByRole('alert').isVisible().catch(() => false)) throw new Error(await dialog.getByRole('alert').innerText());
  await reveal.getByRole('button', { name: 'I have saved it' }).click();

  const details = page.getByRole('region', { name: 'dns-edit' });
  await details.getByRole('button', { name: 'Deactivate' }).click();
  await expect(cards(page).filter({ hasText: 'dns-edit' })).toContainText('Inactive');
  await details.getByRole('button', { name: 'Activate' }).click();
  await expect(cards(page).filter({ hasText: 'dns-edit' })).toContainText('Active');

  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  await sidebar.getByRole('button', { name: 'Edit cf-zone' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit cf-zone' });
  await edit.getByLabel('Workspace name').fill('cf-prod');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(sidebar.getByRole('button', { name: /^cf-prod 1 token\b/ })).toBeVisible();

  await sidebar.getByRole('button', { name: 'Remove cf-prod' }).click();
  const remove = page.getByRole('dialog', { name: 'Move cf-prod to the trash?' });
  await expect(remove).toContainText('1 stored token');
  await remove.getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();
});
