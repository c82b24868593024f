import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { bridgeDropFile } from '../support/preload-bridge';
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

/** What the OS does when a file is dragged over the window and let go: dragenter, dragover, then drop (or not). */
async function dragFile(page: Page, name: string, { release }: { release: boolean }): Promise<void> {
  await page.evaluate(
    ([fileName, drop]) => {
      const data = new DataTransfer();
      data.items.add(new File(['not read from here'], fileName));
      const target = document.querySelector('main') ?? document.body;
      const fire = (type: string) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      fire('dragenter');
      fire('dragover');
      if (drop) fire('drop');
    },
    [name, release] as const,
  );
}

test('drop a file on the window: "Drop to import", then the preview of that file; a folder dropped says why not', async ({ app }) => {
  test.skip(!app.dialogs, "needs the bridge: its stand-in for webUtils.getPathForFile says where a dropped File lives");
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  mkdirSync(join(app.userDataDir, 'exports'));
  const file = join(app.userDataDir, 'exports', 'dropped.env');
  writeFileSync(file, `STRIPE_KEY=${STRIPE}\nGITHUB_TOKEN=${GITHUB}\n`);
  await bridgeDropFile(page, 'dropped.env', file);
  await bridgeDropFile(page, 'exports', join(app.userDataDir, 'exports'));

  // Hovering with a file: the whole window says what a drop does.
  await dragFile(page, 'dropped.env', { release: false });
  await expect(page.getByText('Drop to import')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'drop overlay');
  await saveScreen(page, 'import-drop-overlay');

  await dragFile(page, 'dropped.env', { release: true });
  await expect(page.getByText('Drop to import')).toBeHidden();
  const dialog = page.getByRole('dialog', { name: 'Import tokens' });
  // The format is known from the name and needs no password: straight to the preview.
  await expect(dialog.getByRole('heading', { name: '2 tokens will be added' })).toBeVisible();
  await expect(dialog.getByRole('list', { name: '2 tokens will be added' }).getByRole('listitem')).toHaveText(['STRIPE_KEY → dropped (new)', 'GITHUB_TOKEN → dropped (new)']);
  expect(vault.tokens.list()).toEqual([]);
  await expectNoSeriousA11yViolations(page, 'import (dropped, preview)');
  await dialog.getByRole('button', { name: 'Import 2 tokens' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Imported 2 tokens, created 1 workspace.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  expect(vault.tokens.list().map((t) => t.name).sort()).toEqual(['GITHUB_TOKEN', 'STRIPE_KEY']);

  // A folder is not a file: the dialog opens and says so, and nothing is read.
  await dragFile(page, 'exports', { release: true });
  await expect(dialog.getByText('exports is not a file')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Choose a file…' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  // A File made in script, with nothing on disk behind it: no path, refused in main.
  await dragFile(page, 'made-up.env', { release: true });
  await expect(dialog.getByText('Only a file saved on this computer can be imported')).toBeVisible();

  const html = await page.content();
  for (const secret of [STRIPE, GITHUB]) expect(html).not.toContain(secret);
  expect(html).not.toContain(app.userDataDir);
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
