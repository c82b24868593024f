import { mkdirSync } from 'node:fs';
import { expect, test } from './app-fixture';

test('a fresh machine shows vault set-up, and creating the vault leads to the unlocked app', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: 'test-results/screens/first-screen.png' });

  await page.getByLabel('Use a master password').check();
  await page.getByLabel('Master password', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Repeat master password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'No workspaces yet' })).toBeVisible();
});

test('the page API is exactly the contract: named functions, no raw IPC', async ({ app }) => {
  const shape = await app.page.evaluate(() => {
    const api = window.tokenVault as unknown as Record<string, Record<string, unknown>>;
    return Object.fromEntries(Object.entries(api).map(([domain, fns]) => [domain, Object.keys(fns).sort()]));
  });
  expect(shape['vault']).toEqual(expect.arrayContaining(['getState', 'create', 'unlock', 'lock', 'onLocked']));
  expect(JSON.stringify(shape)).not.toMatch(/invoke|send|ipcRenderer/);
});
