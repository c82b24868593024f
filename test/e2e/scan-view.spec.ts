import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

// "Scan for tokens" (issue 13): the window lists what scan found, links places as targets and adds unknown tokens.
const NPM = 'npm_ScanViewStoredSecret0123456789abc';
const GHP = `ghp_${'ScanV1ewX'.repeat(4)}`;
let dir = '';
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tv-scan-view-'));
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, '.env'), `NPM_TOKEN=${NPM}\nGH_TOKEN=${GHP}\n`);
  writeFileSync(join(project, 'notes.md'), `# how we publish\nthe token is ${NPM}\n`);
  // A folder big enough that a scan is still running when the user cancels it.
  const big = join(dir, 'big');
  mkdirSync(big);
  for (let d = 0; d < 40; d++) {
    mkdirSync(join(big, `d${d}`));
    for (let i = 0; i < 500; i++) writeFileSync(join(big, `d${d}`, `f${i}.txt`), `plain text ${d}/${i}\n`);
  }
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openScan = async (page: Page) => {
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: 'Scan for tokens' }).click();
  const view = page.getByRole('region', { name: 'Scan for tokens' });
  await expect(view).toBeVisible();
  return view;
};

test('Scan for tokens: choose a folder, scan, add a place as a target and a found token to the vault; no secret on the page', async ({ app }) => {
  test.skip(!app.dialogs, 'The folder comes from the OS dialog; only the bridge can answer it for the user (Electron shows the real one).');
  const { page } = app;
  let tokenId = '';
  await openUnlockedVault(app, (vault) => {
    const ws = vault.workspaces.create({ kind: 'manual', name: 'hand' });
    tokenId = vault.tokens.insert({ workspaceId: ws.id, name: 'npm-publish', secret: NPM }).id;
  });
  const project = join(dir, 'project');
  const view = await openScan(page);
  await expect(view.getByRole('button', { name: 'Scan', exact: true })).toBeDisabled();
  app.dialogs!.folder = project;
  await view.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(view.getByLabel('Folder to scan')).toHaveText(project);
  await view.getByRole('button', { name: 'Scan', exact: true }).click();
  await expect(view.getByRole('status')).toHaveText('2 files scanned: 2 places holding a stored secret, 1 likely token not in the vault.');

  const places = view.getByRole('list', { name: 'Places holding a stored token' }).getByRole('listitem');
  await expect(places).toHaveCount(2);
  await expect(places.nth(0)).toContainText('.env:1');
  await expect(places.nth(0)).toContainText('hand/npm-publish');
  await expect(places.nth(0)).toContainText('As variable NPM_TOKEN');
  await expect(places.nth(1)).toContainText('notes.md:2');
  await expect(places.nth(1)).toContainText('Not a file format Token Vault can write');
  await expect(places.nth(1).getByRole('button')).toHaveCount(0);
  const unknown = view.getByRole('list', { name: 'Likely tokens not in the vault' }).getByRole('listitem');
  await expect(unknown).toHaveCount(1);
  for (const text of ['.env:2', `ghp_… ${GHP.length} characters`, 'GitHub personal access token (classic)']) await expect(unknown.first()).toContainText(text);
  await expectNoSeriousA11yViolations(page, 'scan results');
  await saveScreen(page, 'scan-view');

  // Add as target: the .env becomes a place of the stored token, as `scan --add` makes it.
  await places.nth(0).getByRole('button', { name: 'Add as target: .env:1 for hand/npm-publish' }).click();
  await expect(places.nth(0)).toContainText('Linked: rotations write it.');
  await expect(view.getByRole('status')).toHaveText('.env is now a place of hand/npm-publish: rotations write it.');
  expect(vaultOf(app).targets.list(tokenId).map((t) => t.spec)).toEqual([{ kind: 'dotenv', path: join(project, '.env'), key: 'NPM_TOKEN' }]);

  // Add to vault: the add form, prefilled from the file; main reads the token from it, the page never holds it.
  await unknown.first().getByRole('button', { name: 'Add to vault… the ghp_… token in .env:2' }).click();
  const form = page.getByRole('dialog', { name: 'Add the found token' });
  await expect(form.getByLabel('Name')).toHaveValue('GH_TOKEN');
  await expect(form).toContainText(`ghp_… (${GHP.length} characters, GitHub personal access token (classic)) on line 2 of ${join(project, '.env')}`);
  await expect(form.getByLabel('Secret')).toHaveCount(0);
  await expect(form.getByRole('checkbox', { name: /Also use this file as a place of the token \(variable GH_TOKEN\)/ })).toBeChecked();
  await expectNoSeriousA11yViolations(page, 'add the found token');
  await saveScreen(page, 'scan-view-add');
  await form.getByRole('button', { name: 'Add token' }).click();
  await expect(form).toBeHidden();
  await expect(view.getByRole('status')).toHaveText('Added hand/GH_TOKEN to the vault, with .env as its place.');
  await expect(unknown).toHaveCount(0);
  await expect(places).toHaveCount(3);
  const added = vaultOf(app).tokens.list().find((t) => t.name === 'GH_TOKEN');
  expect(added && vaultOf(app).tokens.readSecret(added.id)).toBe(GHP);
  expect(added && vaultOf(app).targets.list(added.id).map((t) => t.spec)).toEqual([{ kind: 'dotenv', path: join(project, '.env'), key: 'GH_TOKEN' }]);
  // The token list has it too (tokens:changed), and the page never held either secret.
  await expect(page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /All tokens/ })).toContainText('2');
  const html = await page.content();
  expect(html).not.toContain(GHP);
  expect(html).not.toContain(NPM);
});

test('Scan for tokens: a long scan shows its progress and stops on Cancel with what it found; fits 800x600', async ({ app }) => {
  test.skip(!app.dialogs, 'The folder comes from the OS dialog; only the bridge can answer it for the user (Electron shows the real one).');
  const { page } = app;
  await openUnlockedVault(app, (vault) => {
    const ws = vault.workspaces.create({ kind: 'manual', name: 'hand' });
    vault.tokens.insert({ workspaceId: ws.id, name: 'npm-publish', secret: NPM });
  });
  await page.setViewportSize({ width: 800, height: 600 });
  const view = await openScan(page);
  app.dialogs!.folder = join(dir, 'big');
  await view.getByRole('button', { name: 'Choose folder…' }).click();
  // The user clicks Cancel as soon as the first progress shows. The click is made in the page, at that moment: the
  // 20,000 files take under a second on a quiet machine, so a click from here could land after the scan ended.
  await view.getByRole('button', { name: 'Scan', exact: true }).evaluate((scan) => {
    const status = document.querySelector('.scan-view [role="status"]');
    const observer = new MutationObserver(() => {
      const cancel = [...document.querySelectorAll('.scan-view button')].find((b) => b.textContent?.trim() === 'Cancel scan');
      if (!cancel || !/files? read/.test(status?.textContent ?? '')) return;
      observer.disconnect();
      (cancel as HTMLButtonElement).click();
    });
    if (status) observer.observe(status, { childList: true, subtree: true, characterData: true });
    (scan as HTMLButtonElement).click();
  });
  await expect(view.getByRole('status')).toHaveText(/^Scan stopped\. Until then, [\d,]+ files? scanned: 0 places holding a stored secret, 0 likely tokens not in the vault\.$/);
  const scanned = Number(/Until then, ([\d,]+)/.exec((await view.getByRole('status').textContent()) ?? '')?.[1]?.replace(/,/g, ''));
  expect(scanned).toBeLessThan(20_000);
  await expect(view).toContainText('Nothing found before the scan stopped.');
  await expect(view.getByRole('button', { name: 'Scan again' })).toBeEnabled();

  // At 800x600 the view fits beside the sidebar: nothing wider than its column, every control on screen.
  app.dialogs!.folder = join(dir, 'project');
  await view.getByRole('button', { name: 'Choose folder…' }).click();
  await view.getByRole('button', { name: 'Scan', exact: true }).click();
  await expect(view.getByRole('list', { name: 'Places holding a stored token' }).getByRole('listitem')).toHaveCount(2);
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const section = document.querySelector('.scan-view');
    if (!section) return ['no scan view'];
    if (section.scrollWidth > section.clientWidth + 1) out.push(`scrolls sideways: ${section.scrollWidth} > ${section.clientWidth}`);
    const box = section.getBoundingClientRect();
    for (const el of section.querySelectorAll('button, input, .scan-what, .scan-folder')) {
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${el.tagName} "${(el.textContent ?? '').slice(0, 30)}" sticks out`);
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) out.push(`button text cut: ${el.textContent}`);
    }
    const sidebar = document.querySelector('.sidebar')?.getBoundingClientRect();
    if (sidebar && sidebar.left < box.right - 1 && sidebar.right > box.left + 1) out.push('overlaps the sidebar');
    return out;
  });
  expect(problems).toEqual([]);
  await expectNoSeriousA11yViolations(page, 'scan at 800x600');
  await saveScreen(page, 'scan-view-800x600');
});
