import type { Page } from '@playwright/test';
import { createCloudflareServer } from '../servers/contract/cloudflare-server';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { issueToken } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from '../cli/cli-process';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, TEST_PASSWORD, vaultOf } from './app-fixture';

// Contract servers reproduce the services' admin APIs on 127.0.0.1; one of each per file.
const gitea = createGiteaServer();
const gitlab = createGitlabServer();
const cloudflare = createCloudflareServer();
let giteaUrl = '';
let gitlabUrl = '';
let cloudflareUrl = '';
test.beforeAll(async () => {
  ensureCliBuilt();
  [giteaUrl, gitlabUrl, cloudflareUrl] = await Promise.all([gitea.server.start(), gitlab.server.start(), cloudflare.server.start()]);
});
test.afterAll(async () => {
  await Promise.all([gitea.server.stop(), gitlab.server.stop(), cloudflare.server.stop()]);
});

const cards = (page: Page) => page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');

test('rotate now without native renew (Gitea): create new, reveal, the old one stays "replaced" until confirmed, then revoked', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'gitea', name: 'forge', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  const first = await issueToken(vault, ws, { name: 'ci-pusher', scopes: ['all'] });
  const second = await issueToken(vault, ws, { name: 'mirror-bot', scopes: ['all'] });
  await page.reload();

  await cards(page).filter({ hasText: 'ci-pusher' }).click();
  await page.getByRole('region', { name: 'ci-pusher' }).getByRole('button', { name: 'Rotate now…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate "ci-pusher"?' });
  await expect(dialog).toContainText(/Gitea.* has no renew: Token Vault creates a new token beside the old one/);
  await expect(dialog).toContainText('Confirm deployed');
  await expectNoSeriousA11yViolations(page, 'rotate (create new)');
  await saveScreen(page, 'rotate-create-new');
  await dialog.getByRole('button', { name: 'Rotate now' }).click();

  const reveal = page.getByRole('dialog', { name: 'Your new token' });
  const secret = await reveal.getByLabel('Secret').inputValue();
  const fresh = gitea.tokens.find((t) => t.sha1 === secret);
  expect(fresh).toBeDefined();
  await expect(reveal).toContainText('Confirm deployed');
  // One note says what happened and what is next, not three near-identical ones.
  await expect(reveal.locator('.note')).toHaveCount(1);
  await reveal.getByRole('button', { name: 'I have saved it' }).click();

  // The old token is still stored and still works at the service, labelled until the new one is confirmed.
  const old = cards(page).filter({ hasText: 'ci-pusher (replaced)' });
  await expect(old).toContainText('replaced, confirm deployed');
  expect(gitea.tokens.some((t) => String(t.id) === first.remoteId)).toBe(true);
  await old.click();
  await page.getByRole('region', { name: 'ci-pusher (replaced)' }).getByRole('button', { name: 'Confirm deployed…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm the new token is deployed' });
  await confirm.getByLabel('Keep it working for a grace period').check();
  await expect(confirm.getByLabel('Grace period (days)')).toHaveValue('2');
  await expectNoSeriousA11yViolations(page, 'confirm deployed');
  await saveScreen(page, 'confirm-deployed');
  await confirm.getByLabel('Revoke it now').check();
  await confirm.getByRole('button', { name: 'Confirm and revoke now' }).click();
  await expect(confirm).toBeHidden();
  await expect(old).toContainText('Revoked');
  // The old token's state is current: nothing waits for a confirmation any more.
  await expect(old).not.toContainText('confirm deployed');
  const oldDetails = page.getByRole('region', { name: 'ci-pusher (replaced)' });
  await expect(oldDetails).toContainText('Revoked');
  await expect(oldDetails).not.toContainText('Replaced: confirm deployed');
  await expect(oldDetails.getByRole('button', { name: 'Confirm deployed…' })).toHaveCount(0);
  expect(gitea.tokens.some((t) => String(t.id) === first.remoteId)).toBe(false);
  expect(gitea.tokens.some((t) => t.sha1 === secret)).toBe(true);

  // With a grace period the old token keeps working for now; the revoke is scheduled.
  await cards(page).filter({ hasText: 'mirror-bot' }).click();
  await page.getByRole('region', { name: 'mirror-bot' }).getByRole('button', { name: 'Rotate now…' }).click();
  await page.getByRole('dialog', { name: 'Rotate "mirror-bot"?' }).getByRole('button', { name: 'Rotate now' }).click();
  await page.getByRole('dialog', { name: 'Your new token' }).getByRole('button', { name: 'I have saved it' }).click();
  await cards(page).filter({ hasText: 'mirror-bot (replaced)' }).click();
  await page.getByRole('region', { name: 'mirror-bot (replaced)' }).getByRole('button', { name: 'Confirm deployed…' }).click();
  const graceDialog = page.getByRole('dialog', { name: 'Confirm the new token is deployed' });
  await graceDialog.getByLabel('Keep it working for a grace period').check();
  await graceDialog.getByLabel('Grace period (days)').fill('3');
  await graceDialog.getByRole('button', { name: 'Confirm and revoke later' }).click();
  await expect(graceDialog).toBeHidden();
  expect(gitea.tokens.some((t) => String(t.id) === second.remoteId)).toBe(true);
  expect(vault.journal.list(second.id).length).toBeGreaterThan(0);
});

test('rotate now with native renew: GitLab rotate with a new expiry, Cloudflare roll; one-time reveal', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const gl = vault.workspaces.create({ kind: 'gitlab', name: 'gitlab', baseUrl: gitlabUrl, adminCredential: gitlab.adminToken });
  const cf = vault.workspaces.create({ kind: 'cloudflare', name: 'cf', baseUrl: cloudflareUrl, adminCredential: cloudflare.adminToken });
  await issueToken(vault, gl, { name: 'registry-pull', scopes: ['api'], expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
  const roll = await issueToken(vault, cf, { name: 'dns-writer', scopes: ['pg1'] });
  await page.reload();

  await cards(page).filter({ hasText: 'registry-pull' }).click();
  await page.getByRole('region', { name: 'registry-pull' }).getByRole('button', { name: 'Rotate now…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate "registry-pull"?' });
  await expect(dialog).toContainText('the old secret stops working at once');
  await dialog.getByLabel('New expiry').selectOption({ label: 'In 90 days' });
  await expectNoSeriousA11yViolations(page, 'rotate (native)');
  await saveScreen(page, 'rotate-native');
  await dialog.getByRole('button', { name: 'Rotate now' }).click();
  const reveal = page.getByRole('dialog', { name: 'Your rotated token' });
  const secret = await reveal.getByLabel('Secret').inputValue();
  expect(secret).toMatch(/^glpat-/);
  await expect(reveal).toContainText('The old secret stopped working at once.');
  await reveal.getByRole('button', { name: 'I have saved it' }).click();
  const active = gitlab.tokens.filter((t) => t.name === 'registry-pull' && !t.revoked);
  expect(active).toHaveLength(1);
  await expect(cards(page).filter({ hasText: 'registry-pull' })).toContainText(/in 3 months|in 90 days|in 89 days/);
  expect(vault.tokens.readSecret(vault.tokens.list().find((t) => t.name === 'registry-pull')!.id)).toBe(secret);

  await cards(page).filter({ hasText: 'dns-writer' }).click();
  await page.getByRole('region', { name: 'dns-writer' }).getByRole('button', { name: 'Rotate now…' }).click();
  await page.getByRole('dialog', { name: 'Rotate "dns-writer"?' }).getByRole('button', { name: 'Rotate now' }).click();
  const rolled = page.getByRole('dialog', { name: 'Your rotated token' });
  const value = await rolled.getByLabel('Secret').inputValue();
  expect(cloudflare.tokens.find((t) => t.id === roll.remoteId)?.value).toBe(value);
  await rolled.getByRole('button', { name: 'I have saved it' }).click();
  expect(await page.content()).not.toContain(value);
});

test('interrupted rotations: a CLI rotation killed mid-way is resumed at unlock; the dialog says what is done and what is left', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'gitea', name: 'forge', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  const cf = vault.workspaces.create({ kind: 'cloudflare', name: 'cf', baseUrl: cloudflareUrl, adminCredential: cloudflare.adminToken });
  const old = await issueToken(vault, ws, { name: 'deployer', scopes: ['all'] });
  const rolled = await issueToken(vault, cf, { name: 'zone-reader', scopes: ['pg1'] });
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Token Vault is locked' })).toBeVisible();

  // Another process rotates and dies right after the new secret reached the journal, before the token record.
  const env = { TOKEN_VAULT_PATH: app.vaultPath, TOKEN_VAULT_PASSWORD: TEST_PASSWORD };
  const a = await runCli(['token', 'rotate', 'forge/deployer'], { ...env, TOKEN_VAULT_TEST_CRASH_AT: 'journal:created' });
  const b = await runCli(['token', 'rotate', 'cf/zone-reader'], { ...env, TOKEN_VAULT_TEST_CRASH_AT: 'journal:renew-issued' });
  expect([a.signal, b.signal]).toEqual(['SIGKILL', 'SIGKILL']);

  await page.getByLabel('Master password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();

  // Each secret the resume put in place goes through the one-time reveal first.
  const secrets: string[] = [];
  for (let i = 0; i < 2; i++) {
    const reveal = page.getByRole('dialog', { name: 'A resumed rotation issued a new token' });
    await expect(reveal).toContainText('The service will not show this secret again');
    secrets.push(await reveal.getByLabel('Secret').inputValue());
    if (i === 0) {
      await expectNoSeriousA11yViolations(page, 'resumed reveal');
    }
    await reveal.getByRole('button', { name: 'I have saved it' }).click();
  }
  const newGitea = gitea.tokens.find((t) => t.name.startsWith('deployer') && String(t.id) !== old.remoteId);
  expect(secrets).toContain(newGitea?.sha1);
  expect(secrets).toContain(cloudflare.tokens.find((t) => t.id === rolled.remoteId)?.value);

  const reports = page.getByRole('dialog', { name: 'Interrupted rotations' });
  await expect(reports.getByRole('region', { name: 'Finished' })).toContainText('now stored in the vault and in use');
  const left = reports.getByRole('region', { name: 'Left for you to do' });
  await expect(left).toContainText('Waiting for you to confirm the new token is deployed');
  await expect(left).toContainText('Deploy it, then confirm');
  await expectNoSeriousA11yViolations(page, 'interrupted rotations');
  await saveScreen(page, 'interrupted-rotations');
  await reports.getByRole('button', { name: 'OK' }).click();
  await expect(cards(page).filter({ hasText: 'deployer (replaced)' })).toContainText('replaced, confirm deployed');
  for (const s of secrets) expect(await page.content()).not.toContain(s);
});
