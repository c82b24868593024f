import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

test.use({ keychain: 'none' });

const STRIPE = 'sk_live_import_e2e_0123456789';
const GITHUB = 'ghp_import_e2e_abcdefghijklmnop';
const ALREADY = 'npm_already_stored_e2e_999';

test('import in the window: the OS dialog picks the file, a preview names what is added and left out, confirm, a summary; no secret reaches the page', async ({ app }) => {
  test.skip(!app.dialogs, 'needs the bridge: the OS dialog stand-in lives in this process');
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  // Already in the vault with the same name and secret: the preview says it is left out, and why.
  const ws = vault.workspaces.create({ kind: 'manual', name: 'app' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'NPM_TOKEN', secret: ALREADY, prefix: 'npm_' });
  const file = join(app.userDataDir, 'exports', 'app.env');
  mkdirSync(join(app.userDataDir, 'exports'));
  writeFileSync(file, `STRIPE_KEY=${STRIPE}\nGITHUB_TOKEN="${GITHUB}"\nNPM_TOKEN=${ALREADY}\nEMPTY=\n`);
  await page.reload();

  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import tokens' });
  // Cancelled in the OS dialog: nothing happens.
  app.dialogs!.file = null;
  await dialog.getByRole('button', { name: 'Choose a file…' }).click();
  await expect(dialog.getByRole('button', { name: 'Choose a file…' })).toBeVisible();
  app.dialogs!.file = file;
  await dialog.getByRole('button', { name: 'Choose a file…' }).click();
  await expect(dialog.getByText('app.env')).toBeVisible();
  // The format comes from the file's name; the user can change it.
  await expect(dialog.getByLabel('Format')).toHaveValue('dotenv');
  await expectNoSeriousA11yViolations(page, 'import (options)');
  await dialog.getByRole('button', { name: 'Preview' }).click();

  await expect(dialog.getByRole('heading', { name: '2 tokens will be added' })).toBeVisible();
  const added = dialog.getByRole('list', { name: '2 tokens will be added' });
  await expect(added.getByRole('listitem')).toHaveText(['STRIPE_KEY → app', 'GITHUB_TOKEN → app']);
  await dialog.getByText('2 entries left out').click();
  await expect(dialog.getByText('NPM_TOKEN: already in the vault (same name and secret)')).toBeVisible();
  await expect(dialog.getByText('EMPTY: no password or secret in it')).toBeVisible();
  // A preview writes nothing.
  expect(vault.tokens.list().map((t) => t.name)).toEqual(['NPM_TOKEN']);
  await expectNoSeriousA11yViolations(page, 'import (preview)');
  await saveScreen(page, 'import-preview');

  await dialog.getByRole('button', { name: 'Import 2 tokens' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Imported 2 tokens; 2 entries left out.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  const list = page.getByRole('listbox', { name: 'Tokens' });
  await expect(list.getByRole('option').filter({ hasText: 'STRIPE_KEY' })).toBeVisible();
  expect(vault.tokens.list().map((t) => t.name).sort()).toEqual(['GITHUB_TOKEN', 'NPM_TOKEN', 'STRIPE_KEY']);
  const stripe = vault.tokens.list().find((t) => t.name === 'STRIPE_KEY');
  expect(stripe && vault.tokens.readSecret(stripe.id)).toBe(STRIPE);

  // The same file again: nothing new.
  await page.getByRole('button', { name: 'Import…' }).click();
  await dialog.getByRole('button', { name: 'Choose a file…' }).click();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('heading', { name: 'Nothing new to import' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Import 0 tokens' })).toBeDisabled();

  // No secret of the file ever reached the page.
  const html = await page.content();
  for (const secret of [STRIPE, GITHUB, ALREADY]) expect(html).not.toContain(secret);
});

test('the daily backup in Settings: the last backup, a folder that cannot be written shown as such, a good folder', async ({ app }) => {
  test.skip(!app.dialogs, 'needs the bridge: the OS dialog stand-in lives in this process');
  const { page } = app;
  // Creating the vault unlocks it: the day's backup is written into the app's folder.
  await openUnlockedVault(app);
  await expect.poll(() => readdirSync(join(app.userDataDir, 'backups')).filter((f) => f.endsWith('.tvbackup')).length).toBe(1);

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const backup = dialog.getByRole('group', { name: 'Daily backup' });
  await expect(backup.getByRole('checkbox', { name: 'Back up the vault once a day' })).toBeChecked();
  await expect(backup.getByRole('status')).toContainText('Last backup:');
  await expect(backup.getByRole('status')).toContainText('Kept for 7 days.');

  // A folder below a file: the OS dialog "picked" it; the failure is shown with main's words.
  writeFileSync(join(app.userDataDir, 'a-file'), 'x');
  const broken = join(app.userDataDir, 'a-file', 'backups');
  app.dialogs!.folder = broken;
  await backup.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(backup.getByText(broken)).toBeVisible();
  await backup.getByRole('button', { name: 'Back up now' }).click();
  await expect(backup.getByRole('alert')).toContainText(`The last backup failed: Cannot keep backups in ${broken}`);
  await expectNoSeriousA11yViolations(page, 'settings (backup failed)');
  await saveScreen(page, 'settings-backup-failed');

  const good = join(app.userDataDir, 'elsewhere');
  app.dialogs!.folder = good;
  await backup.getByRole('button', { name: 'Choose folder…' }).click();
  await backup.getByRole('button', { name: 'Back up now' }).click();
  await expect(backup.getByRole('alert')).toBeHidden();
  await expect(backup.getByRole('status')).toContainText('Last backup:');
  expect(readdirSync(good).filter((f) => f.endsWith('.tvbackup'))).toHaveLength(1);

  // Off: the checkbox sets the days kept to 0.
  await backup.getByRole('checkbox', { name: 'Back up the vault once a day' }).click();
  await expect(backup.getByRole('status')).toHaveText('Daily backups are off.');
  expect(vaultOf(app).settings.get()).toMatchObject({ dailyBackupKeepDays: 0, dailyBackupFolder: good });
});
