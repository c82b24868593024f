import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, test, TEST_PASSWORD, vaultOf } from './app-fixture';
import { failOnCspViolations } from './csp-watch';
import { seedDemoVault } from './demo-vault';

failOnCspViolations(test);

/** Issue 12, defects 9 and 10 as the window shows them: expiry signals, words and colours. */
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
const colourOf = (l: Locator) => l.evaluate((el) => getComputedStyle(el).color);
/** The theme's error colour, as the browser resolves it. */
const dangerColour = (page: Page) =>
  page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--danger)';
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  });

test('expiry: distinct levels (past, < 1 day, < 7 days, warning, later), a new 30-day token is not "expiring", ended tokens dimmed and last', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'ops' });
  const add = (name: string, extra: Record<string, unknown>) => vault.tokens.storeIssued({ workspaceId: ws.id, name, secret: `s_${name}_0123456789`, prefix: 's_', ...extra });
  add('hours-left', { expiresAt: iso(0.4), createdAt: iso(-80) });
  add('days-left', { expiresAt: iso(3.5), createdAt: iso(-80) });
  add('weeks-left', { expiresAt: iso(20.5), createdAt: iso(-80) });
  add('fresh-30-day', { expiresAt: iso(30), createdAt: iso(0) });
  add('far-away', { expiresAt: iso(200), createdAt: iso(-10) });
  add('a-expired', { expiresAt: iso(-2), createdAt: iso(-90) });
  add('a-revoked', { expiresAt: iso(100), createdAt: iso(-90), status: 'revoked' });
  await page.reload();

  const rows = page.getByRole('listbox', { name: 'Tokens' }).getByRole('option');
  await expect(rows).toHaveCount(7);
  // Live tokens first, soonest first; revoked and expired last.
  const order = await rows.evaluateAll((els) => els.map((el) => el.querySelector('.row-name')?.textContent));
  expect(order).toEqual(['hours-left', 'days-left', 'weeks-left', 'fresh-30-day', 'far-away', 'a-expired', 'a-revoked']);
  const row = (name: string) => rows.filter({ hasText: name });
  await expect(row('hours-left')).toContainText(/in (9|10)h/);
  await expect(row('days-left')).toContainText('in 3d');
  await expect(row('a-expired')).toContainText('expired 2d ago');
  // Each level its own colour: < 1 day is the error colour, < 7 days and the warning ladder amber, later muted.
  const expiry = (name: string) => row(name).locator('.row-expiry');
  const [hours, days, weeks, fresh, far] = await Promise.all(['hours-left', 'days-left', 'weeks-left', 'fresh-30-day', 'far-away'].map((n) => colourOf(expiry(n))));
  expect(hours).toBe(await dangerColour(page));
  expect(new Set([hours, days, far]).size).toBe(3);
  expect(weeks).toBe(days);
  expect(fresh).toBe(far);
  // Ended rows are dimmed.
  await expect(row('a-revoked').locator('.trow')).toHaveClass(/ended/);
  await expect(row('a-expired').locator('.trow')).toHaveClass(/ended/);
  await expect(row('far-away').locator('.trow')).not.toHaveClass(/ended/);

  // The words say the level too.
  await row('hours-left').click();
  await expect(page.getByRole('region', { name: 'hours-left' })).toContainText(/Expires in (9|10) hours/);
  await row('days-left').click();
  await expect(page.getByRole('region', { name: 'days-left' })).toContainText('Expires in 3 days');
  // A token issued today for 30 days is not "Expires soon", and the Attention count leaves it out.
  await row('fresh-30-day').click();
  const fresh30 = page.getByRole('region', { name: 'fresh-30-day' });
  await expect(fresh30.locator('.badge')).toHaveText(['Active']);
  await expect(page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^Attention/ })).toHaveAccessibleName('Attention 4 tokens need attention');
  await expectNoSeriousA11yViolations(page, 'expiry levels');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(page, 'expiry levels (dark)');
});

test('errors are in the error colour; counts use plural rules ("1 rotation due", no "0 expireds")', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  const vault = vaultOf(app);
  const ws = vault.workspaces.create({ kind: 'manual', name: 'ops' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'soon', secret: 's_soon_0123456789', expiresAt: iso(3.5), createdAt: iso(-60) });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'stale', secret: 's_stale_0123456789', createdAt: iso(-100), rotationPolicy: { rotateEveryDays: 30, basis: 'last-rotation' } });
  await page.reload();
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^Attention/ }).click();
  const view = page.getByRole('region', { name: 'Needs attention' });
  await expect(view).toContainText('1 expiring soon and 1 rotation due.');
  await expect(view).not.toContainText(/0 expired|expireds|1 rotations/);

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await app.service!.handlers['vault:lock'](undefined);
    await page.reload();
    await page.getByLabel('Master password').fill('not the password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    expect(await colourOf(alert)).toBe(await dangerColour(page));
    await page.getByLabel('Master password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('navigation', { name: 'Workspaces' })).toBeVisible();
  }
});

test('master password strength is shown with zxcvbn, loaded only when a password is typed', async ({ app }) => {
  const { page } = app;
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
  const atFirstPaint = scripts.length;
  const usePassword = page.getByLabel('Use a master password');
  if (!(await usePassword.isChecked())) await usePassword.check();
  const field = page.getByLabel('Master password', { exact: true });
  await field.fill('password1');
  await expect(page.getByText(/Strength: (Too guessable|Weak)/)).toBeVisible();
  // The estimator and its dictionaries came in their own chunks, after the first paint.
  expect(scripts.length).toBeGreaterThan(atFirstPaint);
  await field.fill('plum-Orbit-7-cactus-Vinyl');
  await expect(page.getByText(/Strength: (Strong|Very strong)/)).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'set-up with strength');
});

test('Attention shows the next 90 days per workspace and sync state per workspace', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('button', { name: /^Attention/ }).click();
  const timeline = page.getByRole('region', { name: 'The next 90 days' });
  const gitlab = timeline.getByRole('group', { name: 'acme-gitlab' });
  await expect(gitlab.getByRole('button', { name: /^release-bot expires on .* \(in [23] days\)$/ })).toBeVisible();
  // Ended tokens are not on the timeline; far ones are not either.
  await expect(timeline).not.toContainText('old-runner');
  await expect(timeline.getByRole('button', { name: /registry-pull/ })).toHaveCount(0);
  await expect(timeline.getByRole('group', { name: 'npm-registry' }).getByRole('button', { name: /publish-ci: rotation due today/ })).toBeVisible();
  const sync = page.getByRole('region', { name: 'Sync' });
  await expect(sync.getByRole('row', { name: /acme-gitlab/ })).toContainText('Never synced');
  await expect(sync.getByRole('row')).toHaveCount(5); // header + 4 workspaces on a service
  await expectNoSeriousA11yViolations(page, 'attention timeline');
  await gitlab.getByRole('button', { name: /^release-bot/ }).click();
  await expect(page.getByRole('region', { name: 'release-bot' })).toBeVisible();
});
