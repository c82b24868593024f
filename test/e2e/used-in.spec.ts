import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { issueToken } from '../main/use-cases/rotation/rotation-fixture';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

// "Used in" (issue 13): a token's places in the details, push now, and a rotation that writes them itself.
const gitea = createGiteaServer();
let giteaUrl = '';
let dir = '';
test.beforeAll(async () => {
  giteaUrl = await gitea.server.start();
  dir = mkdtempSync(join(tmpdir(), 'tv-used-in-'));
});
test.afterAll(async () => {
  await gitea.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cards = (page: Page) => page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');

test('Used in: add a .env place, push now, rotate (each place written, the old token revoked on its own), remove', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'gitea', name: 'forge', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  const old = await issueToken(vault, ws, { name: 'deployer', scopes: ['all'] });
  const oldSecret = vault.tokens.readSecret(old.id) as string;
  const env = join(dir, 'app.env');
  writeFileSync(env, '# shop\nAPP=shop\n', { mode: 0o640 });
  await page.reload();

  await cards(page).filter({ hasText: 'deployer' }).click();
  const details = page.getByRole('region', { name: 'deployer' });
  const usedIn = details.getByRole('region', { name: 'Used in' });
  await expect(usedIn).toContainText('Not linked to any place yet');
  await usedIn.getByRole('button', { name: 'Add place…' }).click();
  const add = page.getByRole('dialog', { name: 'Add a place "deployer" is used' });
  await add.getByLabel('File (full path)').fill(env);
  await expect(add.getByLabel('Format')).toContainText('From the file name (.env file)');
  await add.getByLabel('Variable').fill('DEPLOY_TOKEN');
  await expectNoSeriousA11yViolations(page, 'add a place');
  await saveScreen(page, 'used-in-add');
  await add.getByRole('button', { name: 'Add place' }).click();
  await expect(add).toBeHidden();
  const places = usedIn.getByRole('list', { name: 'Places this token is used' }).getByRole('listitem');
  await expect(places).toHaveCount(1);
  await expect(places.first()).toContainText(`${env}: variable DEPLOY_TOKEN`);
  await expect(places.first()).toContainText('Not written yet');

  await usedIn.getByRole('button', { name: 'Push now' }).click();
  await expect(usedIn.getByRole('status')).toHaveText('The place holds the secret and read it back.');
  await expect(places.first()).toContainText(/Written .*, read back\./);
  expect(readFileSync(env, 'utf8')).toBe(`# shop\nAPP=shop\nDEPLOY_TOKEN=${oldSecret}\n`);
  await expectNoSeriousA11yViolations(page, 'used in');
  await saveScreen(page, 'used-in');

  // A rotation writes the place, checks the new secret at Gitea and revokes the old token itself.
  await details.getByRole('button', { name: 'Rotate now…' }).click();
  await page.getByRole('dialog', { name: 'Rotate "deployer"?' }).getByRole('button', { name: 'Rotate now' }).click();
  const reveal = page.getByRole('dialog', { name: 'Your new token' });
  const secret = await reveal.getByLabel('Secret').inputValue();
  await expect(reveal).toContainText('written to every place it is used');
  await expect(reveal).toContainText('The old token is revoked at Gitea / Forgejo.');
  await saveScreen(page, 'used-in-rotated');
  await reveal.getByRole('button', { name: 'I have saved it' }).click();
  expect(readFileSync(env, 'utf8')).toBe(`# shop\nAPP=shop\nDEPLOY_TOKEN=${secret}\n`);
  expect(statSync(env).mode & 0o777).toBe(0o640);
  expect(gitea.tokens.some((t) => String(t.id) === old.remoteId)).toBe(false);
  // The page never held the secret outside the reveal, which is gone now.
  expect(await page.content()).not.toContain(secret);

  // The place followed the token to its replacement; removing it leaves the file as it is.
  await cards(page).filter({ hasText: /^(?!.*replaced).*deployer/ }).first().click();
  const fresh = page.getByRole('region', { name: 'deployer', exact: true }).getByRole('region', { name: 'Used in' });
  await expect(fresh.getByRole('listitem')).toHaveCount(1);
  await fresh.getByRole('button', { name: `Remove ${env}: variable DEPLOY_TOKEN` }).click();
  await expect(fresh).toContainText('Place removed; what it holds was left as it is.');
  await expect(fresh.getByRole('listitem')).toHaveCount(0);
  expect(readFileSync(env, 'utf8')).toContain(secret);
});
