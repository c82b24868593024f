import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';
import { failOnCspViolations } from './csp-watch';

// Issue 12, defect 5: a service's wait is shown and counted down, the user can cancel it, what was typed stays, and
// "no answer" says why (refused, unresolvable) in words that point at the right field.
const gitea = createGiteaServer();
let giteaUrl = '';
test.beforeAll(async () => {
  giteaUrl = await gitea.server.start();
});
test.afterAll(async () => {
  await gitea.server.stop();
});
test.beforeEach(() => gitea.server.clearFaults());
failOnCspViolations(test);

test('a create behind a 429 Retry-After 60 counts down, cancels without sending, keeps what was typed', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  vaultOf(app).workspaces.create({ kind: 'gitea', name: 'forge', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  await page.reload();

  // The service asks for a minute's rest while listing: the sync fails, and the workspace's requests wait 60 s.
  gitea.server.inject({ kind: 'status', status: 429, retryAfter: '60', method: 'GET', path: /tokens$/ });
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  await sidebar.getByRole('button', { name: 'Sync all' }).click();
  await expect(sidebar.getByRole('alert')).toContainText('Sync failed');

  const posts = gitea.server.count('POST', /tokens$/);
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New token' });
  await dialog.getByLabel('Name').fill('waits-for-gitea');
  await dialog.getByLabel('Description').fill('typed before the wait');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const status = dialog.getByTestId('operation-status');
  await expect(status).toContainText('Gitea / Forgejo asked Token Vault to wait: creating the token resumes in');
  const seconds = async () => Number(/resumes in (\d+) seconds/.exec((await status.textContent()) ?? '')?.[1]);
  const first = await seconds();
  expect(first).toBeGreaterThan(50);
  expect(first).toBeLessThanOrEqual(60);
  // Driven by main's time, counted down here.
  await expect.poll(seconds, { timeout: 4000 }).toBeLessThan(first);
  // In this tall dialog the status and its Cancel are scrolled into view.
  await expect(status.getByRole('button', { name: 'Cancel request' })).toBeInViewport();
  await expectNoSeriousA11yViolations(page, 'create waiting for a 429');
  await saveScreen(page, 'create-waiting-429');

  await status.getByRole('button', { name: 'Cancel request' }).click();
  await expect(dialog.getByRole('alert')).toContainText('nothing was sent to Gitea / Forgejo');
  await expect(status).toBeHidden();
  expect(gitea.server.count('POST', /tokens$/)).toBe(posts);
  // What was typed is still there; the error goes once the user changes it.
  await expect(dialog.getByLabel('Name')).toHaveValue('waits-for-gitea');
  await expect(dialog.getByLabel('Description')).toHaveValue('typed before the wait');
  await expect(dialog.getByRole('button', { name: 'Create token' })).toBeEnabled();
  await dialog.getByLabel('Name').fill('waits-for-gitea-2');
  await expect(dialog.getByRole('alert')).toBeHidden();
});

test('adding a workspace says refused and unresolvable apart, each pointing at what to check', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));

  await page.getByRole('button', { name: 'Add your first workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a workspace' });
  await dialog.getByLabel('Service', { exact: true }).selectOption({ label: 'GitLab' });
  await dialog.getByLabel('Workspace name').fill('gitlab-main');
  await dialog.getByLabel('Service URL').fill(`http://127.0.0.1:${port}`);
  await dialog.getByLabel('Personal access token (admin, scope api)').fill('glpat-e2e-admin-secret');
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('refused the connection');
  await expect(alert).toContainText('Check the port in the workspace URL');
  await expect(alert).not.toContainText('glpat-e2e-admin-secret');

  await dialog.getByLabel('Service URL').fill('https://gitlab.token-vault-test.invalid');
  await dialog.getByRole('button', { name: 'Add workspace' }).click();
  await expect(alert).toContainText('could not be resolved');
  await expect(alert).toContainText('Check the host name in the workspace URL');
  // The form kept everything typed.
  await expect(dialog.getByLabel('Workspace name')).toHaveValue('gitlab-main');
});
