import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sharingEngineFor, type SharingEngine } from '../../src/main/use-cases/sharing';
import type { Vault } from '../../src/main/vault';
import { openDeviceVault } from '../main/use-cases/sharing/fixtures/device-vault';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, saveScreen, test, vaultOf, type AppUnderTest } from './app-fixture';

/**
 * Issue 14 in the window with two devices: "alice's desktop" is a second vault file in its own user-data folder,
 * driven under Node through the same sharing engine the command line uses; the window under test is the second
 * device. They share through a real bare git repository over a file path.
 */

const TEAM = 'payments';
const FIRST_SECRET = 'sk_live_first_0123456789abcdef';

interface OtherDevice {
  vault: Vault;
  engine: SharingEngine;
  workspaceId: string;
  tokenId: string;
}

/** Alice's desktop: its own vault file, a workspace with one token, shared as TEAM in `bare`. */
async function alicesDesktop(app: AppUnderTest, bare: string): Promise<OtherDevice> {
  const vault = await openDeviceVault(join(app.userDataDir, 'alices-desktop', 'vault.db'));
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Payments API' });
  const token = vault.tokens.storeIssued({ workspaceId: ws.id, name: 'stripe-live', secret: FIRST_SECRET });
  const engine = sharingEngineFor(vault, { deviceName: 'alices-desktop' });
  await engine.init({ remote: bare, team: TEAM, workspaceIds: [ws.id] });
  return { vault, engine, workspaceId: ws.id, tokenId: token.id };
}

function bareRepo(app: AppUnderTest): string {
  const bare = join(app.userDataDir, 'payments.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  return bare;
}

/** Alice shares her desktop's workspace; this window's device (Bob) is added as a member and joins. */
async function aliceSharesBobJoins(app: AppUnderTest): Promise<OtherDevice> {
  const bare = bareRepo(app);
  const alice = await alicesDesktop(app, bare);
  await openUnlockedVault(app);
  const service = app.service;
  if (!service) throw new Error('bridge runs only');
  await alice.engine.addMember(TEAM, 'bob', (await service.handlers['share:get-identity'](undefined)).identity);
  await service.handlers['share:join']({ remote: bare });
  return alice;
}

async function openSharing(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Sharing' });
}

async function closeSettings(page: Page) {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();
}

test.describe('sharing between two devices, in the window', () => {
  let alice: OtherDevice | undefined;
  test.afterEach(() => {
    alice?.vault.close();
    alice = undefined;
  });

  test('join a share from the window: the shared workspace is marked in the sidebar with its sync state', async ({ app }) => {
    test.skip(app.project === 'electron', 'the second device and the bare repository are made beside the bridge; the flow is the same code in the app');
    const { page } = app;
    const bare = bareRepo(app);
    alice = await alicesDesktop(app, bare);
    await openUnlockedVault(app, (vault) => {
      vault.workspaces.create({ kind: 'manual', name: 'Local only' });
    });

    // This device shows its identity; Alice adds it (on her device), then this device joins with the repository.
    const sharing = await openSharing(page);
    const identity = await sharing.getByLabel("This device's identity").inputValue();
    expect(identity).toMatch(/^tvid1:/);
    await alice.engine.addMember(TEAM, 'bob', identity);
    const start = sharing.getByRole('form', { name: 'Share workspaces' });
    await start.getByLabel(/^Git repository/).fill(bare);
    await start.getByRole('button', { name: 'Join' }).click();
    await expect(sharing.getByRole('status')).toHaveText(`Joined "${TEAM}": pushed 0, pulled 2.`);
    const team = sharing.getByRole('group', { name: `Team ${TEAM}` });
    await expect(team.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(2);
    await expect(team.getByText('Payments API')).toBeVisible();
    await closeSettings(page);

    // The sidebar: the workspace that arrived, marked as shared by name (not by its icon alone), with its last sync.
    const nav = page.getByRole('navigation', { name: 'Workspaces' });
    const sharedName = /Payments API.*shared with payments/;
    const shared = nav.getByRole('button', { name: sharedName });
    await expect(shared).toBeVisible();
    // (`has` is matched inside each list item: a locator from the page, not from the navigation.)
    const item = nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: sharedName }) });
    const line = item.getByRole('status');
    await expect(line).toHaveText(/^Shared with payments · synced (now|\d+ minutes? ago|this minute)$/);
    await shared.click();
    await expect(page.getByRole('option', { name: /^stripe-live/ })).toBeVisible();
    expect(vaultOf(app).sharing.readRecords([alice.tokenId])[0]?.secret).toBe(FIRST_SECRET);
    await expectNoSeriousA11yViolations(page, 'sidebar with a shared workspace');
    await saveScreen(page, 'sidebar-shared-workspace');

    // A workspace of this device joins the share from the pane; the sidebar marks it, and Alice's device gets it.
    await expect(nav.getByRole('button', { name: /^Local only/ })).not.toHaveAccessibleName(/shared with/);
    const pane = await openSharing(page);
    const addTo = pane.getByRole('form', { name: `Add a workspace to ${TEAM}` });
    await addTo.getByLabel('Workspace to share').selectOption({ label: 'Local only' });
    await addTo.getByRole('button', { name: 'Share it too' }).click();
    await expect(pane.getByRole('status')).toHaveText(`Local only is shared in "${TEAM}": pushed 1, pulled 0.`);
    await expect(pane.getByRole('group', { name: `Team ${TEAM}` }).getByText(/^(Payments API, Local only|Local only, Payments API)$/)).toBeVisible();
    await closeSettings(page);
    await expect(nav.getByRole('button', { name: /^Local only.*shared with payments/ })).toBeVisible();
    await alice.engine.sync(TEAM);
    expect(alice.vault.workspaces.list().map((w) => w.name).sort()).toEqual(['Local only', 'Payments API']);

    // "Busy": main says a sync of the share runs (as the engine does at its start and end).
    await app.emit('share:sync-state', { syncing: [TEAM] });
    await expect(line).toHaveText('Shared with payments: syncing…');
    await app.emit('share:sync-state', { syncing: [] });
    await expect(line).toHaveText(/^Shared with payments · synced/);

    // An error: the repository is gone (moved away). The share's error shows at its workspace, in main's words.
    renameSync(bare, `${bare}.moved`);
    const again = await openSharing(page);
    await again.getByRole('button', { name: 'Sync now' }).click();
    await expect(again.getByRole('status')).toContainText(`"${TEAM}":`);
    await closeSettings(page);
    const failed = item.getByRole('alert');
    await expect(failed).toHaveText(/^Sharing with payments failed: .+/);
    await expectNoSeriousA11yViolations(page, 'sidebar with a failed share');
    // Back in place: the next sync clears it.
    renameSync(`${bare}.moved`, bare);
    const third = await openSharing(page);
    await third.getByRole('button', { name: 'Sync now' }).click();
    await expect(third.getByRole('status')).toHaveText(/^Synced "payments": pushed \d+, pulled \d+\.$/);
    await closeSettings(page);
    await expect(failed).toBeHidden();
    await expect(line).toHaveText(/^Shared with payments · synced/);
  });

  test('two devices set one secret at once: Attention says "two secrets: pick one"; the pick syncs and both devices converge', async ({ app }) => {
    test.skip(app.project === 'electron', 'the second device and the bare repository are made beside the bridge; the flow is the same code in the app');
    const { page } = app;
    alice = await aliceSharesBobJoins(app);

    // Both devices rotate the same token by hand, before either has synced the other's change.
    const ALICE_SECRET = 'sk_live_alice_rotated_000000001';
    const BOB_SECRET = 'sk_live_bob_rotated_00000000002';
    alice.vault.tokens.setSecret(alice.tokenId, ALICE_SECRET);
    await alice.engine.sync(TEAM);
    vaultOf(app).tokens.setSecret(alice.tokenId, BOB_SECRET);
    const sharing = await openSharing(page);
    await sharing.getByRole('button', { name: 'Sync now' }).click();
    await expect(sharing.getByRole('status')).toHaveText(/^Synced "payments": pushed \d+, pulled \d+, 1 with two secrets\.$/);
    await closeSettings(page);

    // Attention lists it with the reason in words, and offers the pick: who set each and when, never the secrets.
    await page.getByRole('button', { name: /^Attention/ }).click();
    const item = page.getByRole('listitem', { name: 'stripe-live' });
    await expect(item.getByText('Two secrets: pick one')).toBeVisible();
    await item.getByRole('button', { name: 'Pick one…' }).click();
    const choices = item.getByRole('group', { name: 'Secrets of stripe-live' });
    await expect(choices.getByRole('button')).toHaveCount(2);
    await expect(choices.getByRole('button', { name: /^Keep the one alices-desktop set / })).toBeVisible();
    await expect(choices.getByRole('button', { name: /^Keep the one bob set / })).toBeVisible();
    const html = await page.content();
    for (const secret of [ALICE_SECRET, BOB_SECRET]) expect(html.includes(secret), 'a candidate secret reached the page').toBe(false);
    await expectNoSeriousA11yViolations(page, 'attention: two secrets, pick one');
    await saveScreen(page, 'attention-two-secrets');
    await choices.getByRole('button', { name: /^Keep the one alices-desktop set / }).click();
    await expect(item).toBeHidden();
    expect(vaultOf(app).sharing.readRecords([alice.tokenId])[0]).toMatchObject({ secret: ALICE_SECRET, secretConflict: null });

    // The pick is published by the next sync; Alice's device takes it: both hold one secret, the same one.
    const after = await openSharing(page);
    await after.getByRole('button', { name: 'Sync now' }).click();
    await expect(after.getByRole('status')).toHaveText(/^Synced "payments": pushed 1, pulled 0\.$/);
    await alice.engine.sync(TEAM);
    for (const vault of [alice.vault, vaultOf(app)]) expect(vault.sharing.readRecords([alice.tokenId])[0]).toMatchObject({ secret: ALICE_SECRET, secretConflict: null });
    const [aliceStatus] = await alice.engine.status({ team: TEAM, fetch: true });
    expect(aliceStatus).toMatchObject({ conflicts: 0, ahead: 0, behind: 0 });
    // The secret not picked stays in the record's history on both devices (nothing a member typed is lost).
    const shareId = aliceStatus?.shareId ?? '';
    for (const vault of [alice.vault, vaultOf(app)]) expect(vault.sharing.readSyncStates(shareId, [alice.tokenId])[0]?.history.map((h) => h.value)).toContain(BOB_SECRET);
  });

  test('a member moves a shared workspace to another host: its credential waits in the sidebar until this device confirms it', async ({ app }) => {
    test.skip(app.project === 'electron', 'the second device and the bare repository are made beside the bridge; the flow is the same code in the app');
    const CREDENTIAL = 'glpat-team-admin-credential-01';
    const before = createGitlabServer(CREDENTIAL);
    const after = createGitlabServer(CREDENTIAL);
    const [beforeUrl, afterUrl] = await Promise.all([before.server.start(), after.server.start()]);
    try {
      const { page } = app;
      const bare = bareRepo(app);
      const vault = await openDeviceVault(join(app.userDataDir, 'alices-desktop', 'vault.db'));
      const ws = vault.workspaces.create({ kind: 'gitlab', name: 'Team GitLab', baseUrl: beforeUrl, adminCredential: CREDENTIAL });
      const engine = sharingEngineFor(vault, { deviceName: 'alices-desktop' });
      alice = { vault, engine, workspaceId: ws.id, tokenId: '' };
      await engine.init({ remote: bare, team: TEAM, workspaceIds: [ws.id] });
      await openUnlockedVault(app);
      const service = app.service;
      if (!service) throw new Error('bridge runs only');
      await engine.addMember(TEAM, 'bob', (await service.handlers['share:get-identity'](undefined)).identity);
      await service.handlers['share:join']({ remote: bare });

      // Alice's device moves the workspace and keeps the credential (as a member's own client could write it).
      vault.workspaces.update(ws.id, { baseUrl: afterUrl, adminCredential: CREDENTIAL });
      await engine.sync(TEAM);
      const sharing = await openSharing(page);
      await sharing.getByRole('button', { name: 'Sync now' }).click();
      await expect(sharing.getByRole('status')).toHaveText(/^Synced "payments": pushed 0, pulled 1\.$/);
      await closeSettings(page);

      const nav = page.getByRole('navigation', { name: 'Workspaces' });
      const item = nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Team GitLab/ }) });
      const newOrigin = new URL(afterUrl).origin;
      await expect(item.getByText(`Moved to ${newOrigin} by a shared change: its credential waits for you.`)).toBeVisible();
      // A sync of the workspace does not send the credential there: it says why.
      await nav.getByRole('button', { name: /^Team GitLab/ }).click();
      await item.getByRole('button', { name: 'Sync Team GitLab' }).click();
      await expect(item.getByRole('alert')).toContainText(`was moved to ${newOrigin} by a shared change`);
      expect(after.server.requests).toHaveLength(0);

      await item.getByRole('button', { name: 'Review the move of Team GitLab' }).click();
      const review = item.getByRole('group', { name: 'Credential of Team GitLab' });
      await expect(review).toContainText(`The stored credential was given for ${new URL(beforeUrl).origin}.`);
      await expectNoSeriousA11yViolations(page, 'sidebar: a held credential');
      await saveScreen(page, 'sidebar-held-credential');
      expect(after.server.requests).toHaveLength(0);
      await review.getByRole('button', { name: `Use it at ${newOrigin}` }).click();
      await expect(item.getByText(/its credential waits for you/)).toBeHidden();
      // Verified at the new address, now that the user said so; the workspace syncs there.
      expect(after.server.requests.map((r) => JSON.stringify(r.headers)).join('\n')).toContain(CREDENTIAL);
      expect(vaultOf(app).workspaces.get(ws.id).credentialHold).toBeNull();
      await item.getByRole('button', { name: 'Sync Team GitLab' }).click();
      await expect(item.getByText(/^Synced \d+ tokens?/)).toBeVisible();
      await expect(item.getByRole('alert')).toBeHidden();
    } finally {
      await Promise.all([before.server.stop(), after.server.stop()]);
    }
  });

  test("two members set a shared workspace's admin credential at once: the sidebar offers the pick", async ({ app }) => {
    test.skip(app.project === 'electron', 'the second device and the bare repository are made beside the bridge; the flow is the same code in the app');
    const { page } = app;
    alice = await aliceSharesBobJoins(app);

    alice.vault.workspaces.update(alice.workspaceId, { adminCredential: 'alice-admin-credential-0001' });
    await alice.engine.sync(TEAM);
    vaultOf(app).workspaces.update(alice.workspaceId, { adminCredential: 'bob-admin-credential-00002' });
    const sharing = await openSharing(page);
    await sharing.getByRole('button', { name: 'Sync now' }).click();
    await expect(sharing.getByRole('status')).toHaveText(/1 with two secrets\.$/);
    await closeSettings(page);

    const item = page.getByRole('navigation', { name: 'Workspaces' }).getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Payments API/ }) });
    await expect(item.getByText('Two admin credentials: pick one')).toBeVisible();
    await item.getByRole('button', { name: 'Pick one…' }).click();
    const choices = item.getByRole('group', { name: "Secrets of Payments API's admin credential" });
    await expectNoSeriousA11yViolations(page, 'sidebar: two admin credentials');
    await choices.getByRole('button', { name: /^Keep the one bob set / }).click();
    await expect(item.getByText('Two admin credentials: pick one')).toBeHidden();
    const after = await openSharing(page);
    await after.getByRole('button', { name: 'Sync now' }).click();
    await expect(after.getByRole('status')).toHaveText(/^Synced "payments": pushed 1, pulled 0\.$/);
    await alice.engine.sync(TEAM);
    for (const vault of [alice.vault, vaultOf(app)])
      expect(vault.sharing.readRecords([alice.workspaceId])[0]).toMatchObject({ secret: 'bob-admin-credential-00002', secretConflict: null });
  });
});
