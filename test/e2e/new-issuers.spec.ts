import type { Page } from '@playwright/test';
import { createDockerhubServer } from '../servers/contract/dockerhub-server';
import { createGithubCredentialsServer } from '../servers/contract/github-credentials-server';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

// Contract servers for the issuers added in issue 15 (PROVIDERS.md Part 2), on 127.0.0.1, one per file.
const hub = createDockerhubServer();
const github = createGithubCredentialsServer();
let hubUrl = '';
let githubUrl = '';
test.beforeAll(async () => {
  hubUrl = await hub.server.start();
  githubUrl = await github.server.start();
});
test.afterAll(async () => {
  await hub.server.stop();
  await github.server.stop();
});

const cards = (page: Page) => page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');
/** What Docker Hub says when the token itself is used (the exchange every `docker login` does). */
const hubAccepts = async (secret: string) => (await fetch(`${hubUrl}/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: hub.user, secret }) })).status;

test('Docker Hub: the dialog asks for what Docker Hub needs; create a scoped token; Inactive/Active switches it at the service', async ({ app }) => {
  const { page } = app;
  hub.seed(2);
  await openUnlockedVault(app);

  await page.getByRole('button', { name: 'Add your first workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await dialog.getByLabel('Service', { exact: true }).selectOption({ label: 'Docker Hub' });
  // Fields come from the provider: a Docker ID and a password, the URL optional with Docker Hub's as placeholder.
  await expect(dialog.getByLabel('Docker ID')).toBeVisible();
  await expect(dialog.getByLabel('Password')).toBeVisible();
  await expect(dialog.getByLabel('Service URL')).toHaveAttribute('placeholder', 'https://hub.docker.com');
  await expect(dialog.getByRole('list', { name: 'About this service' })).toContainText('Managing tokens needs the account password');
  await dialog.getByLabel('Workspace name').fill('hub');
  await dialog.getByLabel('Service URL').fill(hubUrl);
  await dialog.getByLabel('Docker ID').fill(hub.user);
  await dialog.getByLabel('Password').fill(hub.password);
  await expectNoSeriousA11yViolations(page, 'add docker hub workspace');
  await saveScreen(page, 'dockerhub-workspace');
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toBeHidden();

  // Adding a workspace syncs it at once.
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  await expect(sidebar.getByRole('status').filter({ hasText: 'Synced 2 tokens: 2 new' })).toBeVisible();

  await page.getByRole('button', { name: 'New token' }).click();
  const create = page.getByRole('dialog', { name: 'New token' });
  await create.getByLabel('Name').fill('ci-push');
  await create.getByRole('checkbox', { name: 'repo:write', exact: true }).check();
  await create.getByRole('radio', { name: '30 days' }).check();
  await create.getByRole('button', { name: 'Create token' }).click();
  const reveal = page.getByRole('dialog', { name: 'Your new token' });
  const secret = await reveal.getByLabel('Secret').inputValue();
  expect(secret).toMatch(/^dckr_pat_/);
  await reveal.getByRole('button', { name: 'I have saved it' }).click();
  const row = hub.tokens.find((t) => t.token_label === 'ci-push')!;
  expect(row.scopes).toEqual(['repo:write']);
  expect(vaultOf(app).tokens.readSecret(vaultOf(app).tokens.list().find((t) => t.name === 'ci-push')!.id)).toBe(secret);

  const card = cards(page).filter({ hasText: 'ci-push' });
  const details = page.getByRole('region', { name: 'ci-push' });
  // Docker Hub reports last use: a fresh token says so; no usage count is made up.
  await expect(details).toContainText('Never used');
  await expect(details.getByText('Usage', { exact: true })).toHaveCount(0);
  await details.getByRole('button', { name: 'Deactivate' }).click();
  await expect(card).toContainText('Inactive');
  expect(row.is_active).toBe(false);
  expect(await hubAccepts(secret)).toBe(401);

  await details.getByRole('button', { name: 'Activate' }).click();
  await expect(card).toContainText('Active');
  expect(row.is_active).toBe(true);
  expect(await hubAccepts(secret)).toBe(200);
  expect(await page.content()).not.toContain(secret);
});

test('GitHub: no admin token needed; the window says GitHub creates no tokens; a pasted token is revoked at GitHub', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);

  await page.getByRole('button', { name: 'Add your first workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await dialog.getByLabel('Service', { exact: true }).selectOption({ label: 'GitHub' });
  await expect(dialog.getByRole('list', { name: 'About this service' })).toContainText('GitHub has no API to create or list personal access tokens');
  await expect(dialog.getByLabel('Token for Actions secrets (optional)')).not.toHaveAttribute('required', '');
  await dialog.getByLabel('Workspace name').fill('gh');
  await dialog.getByLabel('Service URL').fill(githubUrl);
  await expectNoSeriousA11yViolations(page, 'add github workspace');
  await saveScreen(page, 'github-workspace');
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(dialog).toBeHidden();

  const leaked = github.issue('github_pat_');
  await page.getByRole('button', { name: 'New token' }).click();
  const add = page.getByRole('dialog', { name: 'Add a token' });
  await expect(add).toContainText('GitHub cannot create tokens through its API');
  await add.getByLabel('Name').fill('leaked-ci');
  await add.getByLabel('Secret').fill(leaked);
  await add.getByRole('button', { name: 'Add token' }).click();
  await expect(add).toBeHidden();

  const card = cards(page).filter({ hasText: 'leaked-ci' });
  // GitHub reports no last use for a pasted token: neither the row nor the details say anything about it.
  await expect(card).not.toContainText('Never used');
  await expect(page.getByRole('region', { name: 'leaked-ci' })).not.toContainText('Never used');
  await page.getByRole('region', { name: 'leaked-ci' }).getByRole('button', { name: 'Revoke…' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke "leaked-ci"?' });
  await revoke.getByLabel('Type the token name to confirm').fill('leaked-ci');
  await revoke.getByRole('button', { name: 'Revoke token' }).click();
  await expect(card).toContainText('Revoked');
  expect(github.tokens.get(leaked)?.revoked).toBe(true);
  expect(await page.content()).not.toContain(leaked);
});
