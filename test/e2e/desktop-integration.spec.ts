import { expect, openUnlockedVault, test } from './app-fixture';

const SECRET = 'glpat-Zx8c2v7b1n6m5k4j3h2g';

test('the page has no clipboard of its own, as in the app: copies go through main, and the policy blocks inline styles', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  // The app's session denies every permission; the bridge installs the same decision, so this fails here too.
  const direct = await page.evaluate(() => navigator.clipboard.writeText('x').then(() => 'written', (e: Error) => e.name));
  expect(direct).toBe('NotAllowedError');
  // What the one-time reveal does with a secret the vault could not store: main copies it and clears it later.
  const copied = await page.evaluate((secret) => window.tokenVault.tokens.copyUnsavedSecret({ secret }), SECRET);
  expect(copied).toEqual({ ok: true, value: { clearsInSeconds: 30 } });
  expect(await app.clipboardText()).toBe(SECRET);
  // The fixture fails any test whose page broke the policy: prove the watch sees an inline <style>, then forget it.
  const seen = await page.evaluate(async () => {
    const style = document.createElement('style');
    style.textContent = 'body { color: red }';
    document.head.append(style);
    await new Promise((r) => setTimeout(r, 100));
    const w = window as unknown as { __cspViolations?: string[] };
    const out = [...(w.__cspViolations ?? [])];
    w.__cspViolations = [];
    style.remove();
    return out;
  });
  expect(seen.length).toBeGreaterThan(0);
  expect(new Set(seen)).toEqual(new Set(['style-src-elem blocked inline']));
});

test('token page and help links open in the browser through the safe opener, allowed per workspace', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app, (vault) => {
    const gl = vault.workspaces.create({ kind: 'gitlab', name: 'Company GitLab', baseUrl: 'https://git.example.com' });
    vault.tokens.storeIssued({ workspaceId: gl.id, name: 'ci-bot', secret: SECRET, prefix: 'glpat-Zx' });
    const stripe = vault.workspaces.create({ kind: 'manual', name: 'Stripe', tokenPageUrl: 'https://dashboard.stripe.com/apikeys' });
    vault.tokens.storeIssued({ workspaceId: stripe.id, name: 'payments', secret: 'sk_live_0123456789abcdef', prefix: 'sk_live_' });
  });
  const list = page.getByRole('listbox', { name: 'Tokens' });
  await list.getByRole('option').filter({ hasText: 'ci-bot' }).click();
  const details = page.getByRole('region', { name: 'ci-bot' });
  await details.getByRole('button', { name: 'Token page' }).click();
  await details.getByRole('button', { name: /^About .* tokens$/ }).click();
  await list.getByRole('option').filter({ hasText: 'payments' }).click();
  await page.getByRole('region', { name: 'payments' }).getByRole('button', { name: 'Token page' }).click();
  await expect
    .poll(() => app.openedLinks())
    .toEqual([
      'https://git.example.com/-/user_settings/personal_access_tokens',
      'https://docs.gitlab.com/user/profile/personal_access_tokens/',
      'https://dashboard.stripe.com/apikeys',
    ]);
  // A page link the opener refuses is said, not silently dropped.
  const refused = await page.evaluate(() => window.tokenVault.desktop.openLink({ url: 'https://dashboard.stripe.com/apikeys' }));
  expect(refused).toEqual({ ok: true, value: { opened: false } });
});

test('Settings says exactly what locks the vault on this desktop', async ({ app }) => {
  const { page } = app;
  test.skip(app.project === 'electron', 'the words depend on the desktop the real app runs on; the bridge reports a Linux desktop with both D-Bus sources');
  await openUnlockedVault(app);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('checkbox', { name: 'Lock when the screen locks' })).toBeChecked();
  await expect(dialog.getByText(
    "Locks when your desktop's screen locker starts (GNOME, KDE, Cinnamon, MATE, Xfce) or when the login session is locked (loginctl lock-session). Sleep always locks the vault, and so does the idle time above.",
  )).toBeVisible();
});
