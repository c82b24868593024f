import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf } from './app-fixture';

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

test('Attention: the unlock summary links to the due list, most urgent first, with snooze and mark as rotated', async ({ app }) => {
  const { page } = app;
  // Written before the window shows the vault (in Electron, before the app starts).
  await openUnlockedVault(app, (vault) => {
    const ws = vault.workspaces.create({ kind: 'manual', name: 'Ops' });
    const add = (name: string, extra: Record<string, unknown>) => vault.tokens.storeIssued({ workspaceId: ws.id, name, secret: `sec_${name}_0123456789`, prefix: 'sec_', ...extra });
    add('later-expiring', { expiresAt: iso(20.5), createdAt: iso(-100) });
    add('old-expired', { expiresAt: iso(-2.5), createdAt: iso(-100) });
    add('soon-expiring', { expiresAt: iso(3.5), createdAt: iso(-10) });
    add('stale-rotation', { createdAt: iso(-100), rotationPolicy: { rotateEveryDays: 30, basis: 'last-rotation' } });
    add('all-fine', { expiresAt: iso(200), createdAt: iso(-1) });
  });

  const vault = vaultOf(app);
  // The summary on unlock, linking to the view.
  const notice = page.getByRole('region', { name: 'Unlock summary' });
  await expect(notice).toContainText('4 tokens need attention');
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' });
  await expect(sidebar.getByRole('button', { name: 'Attention 4 tokens need attention' })).toBeVisible();
  await notice.getByRole('button', { name: 'Show them' }).click();

  const view = page.getByRole('region', { name: 'Needs attention' });
  const items = view.getByRole('listitem');
  // Expired first, then the soonest deadline (an overdue rotation's deadline is already past).
  await expect(items).toHaveCount(4);
  await expect(items.nth(0)).toHaveAccessibleName('old-expired');
  await expect(items.nth(0)).toContainText(/Expired (2|3) days ago/);
  await expect(items.nth(1)).toHaveAccessibleName('stale-rotation');
  await expect(items.nth(1)).toContainText(/Rotation due, \d+ days overdue \(every 30 days\)/);
  await expect(items.nth(2)).toHaveAccessibleName('soon-expiring');
  await expect(items.nth(2)).toContainText(/Expires in (3|4) days/);
  await expect(items.nth(3)).toHaveAccessibleName('later-expiring');
  await expect(items.nth(3)).toContainText(/Expires in (20|21) days/);
  await expect(items.filter({ hasText: 'stale-rotation' }).getByRole('button', { name: 'Mark as rotated' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'attention');
  await saveScreen(page, 'attention');

  // Snooze a day: out of the list and the counts, back tomorrow.
  await items.filter({ hasText: 'soon-expiring' }).getByRole('button', { name: 'Snooze a day' }).click();
  await expect(items).toHaveCount(3);
  await expect(view.getByRole('status')).toContainText('soon-expiring snoozed until');
  await expect(sidebar.getByRole('button', { name: 'Attention 3 tokens need attention' })).toBeVisible();
  const snoozed = vault.tokens.list().find((t) => t.name === 'soon-expiring')!;
  expect(Date.parse(snoozed.snoozedUntil!)).toBeGreaterThan(Date.now() + 0.5 * DAY);

  // Snooze until a date.
  await items.filter({ hasText: 'later-expiring' }).getByRole('button', { name: 'Until a date…' }).click();
  const until = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
  await view.getByLabel('Snooze until').fill(until);
  await view.getByRole('button', { name: 'Snooze', exact: true }).click();
  await expect(items).toHaveCount(2);
  expect(vault.tokens.list().find((t) => t.name === 'later-expiring')!.snoozedUntil!.slice(0, 10) >= until.slice(0, 8)).toBe(true);

  // Mark as rotated restarts the rotation clock.
  await items.filter({ hasText: 'stale-rotation' }).getByRole('button', { name: 'Mark as rotated' }).click();
  await expect(items).toHaveCount(1);
  expect(vault.tokens.list().find((t) => t.name === 'stale-rotation')!.lastRotatedAt).not.toBeNull();
  await expect(sidebar.getByRole('button', { name: 'Attention 1 token needs attention' })).toBeVisible();

  // The name opens the token's details in the list.
  await items.nth(0).getByRole('button', { name: 'old-expired' }).click();
  await expect(page.getByRole('region', { name: 'old-expired' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Unlock summary' })).toHaveCount(0);
});
