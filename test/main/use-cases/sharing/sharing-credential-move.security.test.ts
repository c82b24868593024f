import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWorkspace } from '../../../../src/main/use-cases/sync-service';
import { revokeToken } from '../../../../src/main/use-cases/tokens/token-operations';
import { confirmMovedCredential, updateWorkspace } from '../../../../src/main/use-cases/workspace-service';
import type { Vault } from '../../../../src/main/vault';
import { createGithubCredentialsServer } from '../../../servers/contract/github-credentials-server';
import { createGitlabServer } from '../../../servers/contract/gitlab-server';
import { sharingSandbox, SHARING_PORT, type Device } from './sharing-fixture';
import type { VaultSharingDevice } from './vault-sharing-device';

/**
 * Issue 10's origin rule (a workspace that moves to another scheme, host or port needs its admin credential entered
 * again: the stored one never follows it to a host it was not given for) holds for a move that arrives through a
 * share too. A member (or a member's device that writes records itself) moves a shared workspace to another host and
 * keeps the credential: on every other device the credential is kept but HELD - nothing sends it to the new host -
 * until that device's user confirms it there or enters another. The hold is local: the shared record is unchanged,
 * so a held device publishes nothing and the others are not disturbed.
 */
const CREDENTIAL = 'glpat-team-admin-0123456789';
const original = createGitlabServer(CREDENTIAL);
/** The host the workspace is moved to. It would accept the credential: nothing but the hold keeps it away. */
const moved = createGitlabServer(CREDENTIAL);
/** A third host, for a move that brings a credential of its own. */
const third = createGitlabServer('glpat-third-host-admin-000');
const box = sharingSandbox('tv-share-move-');
let a: Device;
let b: Device;
let ws = '';
let originalUrl = '';
let movedUrl = '';
let thirdUrl = '';
const team = 'movers';

const vaultOf = (d: Device): Vault => (d.port as VaultSharingDevice).vault;
/** Every header the moved-to host received, as one string. */
const movedHostSaw = () => moved.server.requests.map((r) => JSON.stringify(r.headers)).join('\n');

describe.skipIf(SHARING_PORT !== 'vault')('a synced move of a shared workspace to another origin holds its credential (issue 10 rule, issue 14)', () => {
  beforeAll(async () => {
    [originalUrl, movedUrl, thirdUrl] = await Promise.all([original.server.start(), moved.server.start(), third.server.start()]);
    const bare = box.bareRepo('movers');
    a = await box.device('alice');
    b = await box.device('bob');
    ws = (a.port as VaultSharingDevice).addWorkspace({ name: 'team-gitlab', kind: 'gitlab', baseUrl: originalUrl }, CREDENTIAL);
    await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
    await a.engine.addMember(team, 'bob', b.engine.identity().identity);
    await b.engine.join({ remote: bare });
    expect(vaultOf(b).workspaces.get(ws)).toMatchObject({ baseUrl: originalUrl, hasAdminCredential: true, credentialHold: null });
  });
  afterAll(async () => {
    await Promise.all([original.server.stop(), moved.server.stop(), third.server.stop()]);
  });

  it('a member moves the workspace and keeps the credential: the other device holds it, and nothing reaches the new host', async () => {
    // Alice's device writes the move itself (as a modified client could): the address changes, the credential stays.
    vaultOf(a).workspaces.update(ws, { baseUrl: movedUrl, adminCredential: CREDENTIAL });
    await a.engine.sync(team);
    const pulled = await b.engine.sync(team);
    expect(pulled.pulled).toBe(1);
    const held = vaultOf(b).workspaces.get(ws);
    expect(held).toMatchObject({ baseUrl: movedUrl, hasAdminCredential: true, credentialHold: { from: new URL(originalUrl).origin, to: new URL(movedUrl).origin } });
    // Every path that sends the credential goes through connection(): refused with the reason and the field.
    expect(() => vaultOf(b).workspaces.connection(ws)).toThrow(expect.objectContaining({ code: 'credential-unconfirmed', field: 'adminSecret' }));
    await expect(syncWorkspace(vaultOf(b), held)).rejects.toMatchObject({ code: 'credential-unconfirmed' });
    expect(moved.server.requests).toHaveLength(0);
    expect(original.server.requests).toHaveLength(0);
  });

  it('the hold is local: the shared record keeps its credential, the held device pushes nothing and the share stays clean', async () => {
    expect(vaultOf(b).sharing.readRecords([ws])[0]?.secret).toBe(CREDENTIAL);
    const again = await b.engine.sync(team);
    expect(again).toMatchObject({ pushed: 0, pulled: 0, conflicts: 0 });
    const [status] = await b.engine.status({ team });
    expect(status).toMatchObject({ ahead: 0, behind: 0, conflicts: 0 });
    expect((await a.engine.sync(team)).pulled).toBe(0);
    expect(vaultOf(a).workspaces.get(ws).credentialHold).toBeNull();
  });

  it('a later synced edit that does not move the workspace keeps the hold', async () => {
    vaultOf(a).workspaces.update(ws, { name: 'team-gitlab-renamed' });
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(vaultOf(b).workspaces.get(ws)).toMatchObject({ name: 'team-gitlab-renamed', credentialHold: { from: new URL(originalUrl).origin } });
    expect(moved.server.requests).toHaveLength(0);
  });

  it('confirming for an address the user was not shown (it moved again meanwhile) is refused; confirming the shown one verifies there and releases it', async () => {
    await expect(confirmMovedCredential(vaultOf(b), ws, new URL(thirdUrl).origin)).rejects.toMatchObject({ code: 'share-local-changed' });
    expect(vaultOf(b).workspaces.get(ws).credentialHold).not.toBeNull();
    expect(moved.server.requests).toHaveLength(0);
    const confirmed = await confirmMovedCredential(vaultOf(b), ws, new URL(movedUrl).origin);
    expect(confirmed.credentialHold).toBeNull();
    // The credential went to the new host only now, when the user said so (the verify call).
    expect(movedHostSaw()).toContain(CREDENTIAL);
    const synced = await syncWorkspace(vaultOf(b), confirmed);
    expect(synced.ok).toBe(true);
    // Confirming is this device's choice: nothing to publish.
    expect((await b.engine.sync(team)).pushed).toBe(0);
  });

  it('a move back to the origin the credential was given for releases a hold by itself', async () => {
    vaultOf(a).workspaces.update(ws, { baseUrl: thirdUrl, adminCredential: CREDENTIAL });
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(vaultOf(b).workspaces.get(ws).credentialHold).toMatchObject({ from: new URL(movedUrl).origin, to: new URL(thirdUrl).origin });
    vaultOf(a).workspaces.update(ws, { baseUrl: movedUrl, adminCredential: CREDENTIAL });
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(vaultOf(b).workspaces.get(ws)).toMatchObject({ baseUrl: movedUrl, credentialHold: null });
    expect(() => vaultOf(b).workspaces.connection(ws)).not.toThrow();
  });

  it('a move that brings a new credential is not held: the member who moved it gave that credential for the new address', async () => {
    vaultOf(a).workspaces.update(ws, { baseUrl: thirdUrl, adminCredential: third.adminToken });
    await a.engine.sync(team);
    await b.engine.sync(team);
    const ws3 = vaultOf(b).workspaces.get(ws);
    expect(ws3).toMatchObject({ baseUrl: thirdUrl, credentialHold: null });
    expect(vaultOf(b).workspaces.connection(ws).adminCredential).toBe(third.adminToken);
    expect((await syncWorkspace(vaultOf(b), ws3)).ok).toBe(true);
  });

  it('entering a credential on the held device releases the hold (and publishes the new credential)', async () => {
    vaultOf(a).workspaces.update(ws, { baseUrl: originalUrl, adminCredential: third.adminToken });
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(vaultOf(b).workspaces.get(ws).credentialHold).toMatchObject({ from: new URL(thirdUrl).origin, to: new URL(originalUrl).origin });
    const before = original.server.requests.length;
    // The credential for this address, entered on Bob's device: verified there, stored, the hold gone.
    const edited = await updateWorkspace(vaultOf(b), ws, { adminSecret: CREDENTIAL });
    expect(original.server.requests.length).toBeGreaterThan(before);
    expect(edited.credentialHold).toBeNull();
    expect((await b.engine.sync(team)).pushed).toBe(1);
    await a.engine.sync(team);
    expect(vaultOf(a).workspaces.connection(ws).adminCredential).toBe(CREDENTIAL);
  });
});

describe.skipIf(SHARING_PORT !== 'vault')('a synced move of a shared workspace WITHOUT an admin credential holds its tokens\' secrets (reviewer finding)', () => {
  // GitHub revokes a pasted token by its own secret (no admin credential needed): the secret itself would go.
  const home = createGithubCredentialsServer();
  const elsewhere = createGithubCredentialsServer();
  const TOKEN_SECRET = home.issue();
  const box2 = sharingSandbox('tv-share-move-bare-');
  let c: Device;
  let d: Device;
  let bare = '';
  let token = '';
  let homeUrl = '';
  let elsewhereUrl = '';
  const team2 = 'bare-movers';

  beforeAll(async () => {
    [homeUrl, elsewhereUrl] = await Promise.all([home.server.start(), elsewhere.server.start()]);
    c = await box2.device('carol');
    d = await box2.device('dave');
    const port = c.port as VaultSharingDevice;
    bare = port.addWorkspace({ name: 'no-admin-github', kind: 'github', baseUrl: homeUrl }, null);
    token = port.addToken(bare, { name: 'deploy' }, TOKEN_SECRET);
    const remote = box2.bareRepo('bare-movers');
    await c.engine.init({ remote, team: team2, workspaceIds: [bare] });
    await c.engine.addMember(team2, 'dave', d.engine.identity().identity);
    await d.engine.join({ remote });
    expect(vaultOf(d).workspaces.get(bare)).toMatchObject({ hasAdminCredential: false, credentialHold: null });
    expect(vaultOf(d).tokens.readSecret(token)).toBe(TOKEN_SECRET);
  });
  afterAll(async () => {
    await Promise.all([home.server.stop(), elsewhere.server.stop()]);
  });

  it('is held on the other device: revoking the token (which sends its own secret) is refused and nothing reaches the new host; confirming releases it', async () => {
    vaultOf(c).workspaces.update(bare, { baseUrl: elsewhereUrl });
    await c.engine.sync(team2);
    await d.engine.sync(team2);
    const held = vaultOf(d).workspaces.get(bare);
    expect(held).toMatchObject({ baseUrl: elsewhereUrl, hasAdminCredential: false, credentialHold: { from: new URL(homeUrl).origin, to: new URL(elsewhereUrl).origin } });
    expect(() => vaultOf(d).workspaces.connection(bare)).toThrow(expect.objectContaining({ code: 'credential-unconfirmed', message: expect.stringContaining("tokens' secrets") }));
    await expect(revokeToken(vaultOf(d), token)).rejects.toMatchObject({ code: 'credential-unconfirmed' });
    expect(elsewhere.server.requests).toHaveLength(0);
    expect(vaultOf(d).tokens.get(token).status).toBe('active');
    // Confirming sends nothing by itself (there is no admin credential to verify); after it, calls go to the new host.
    const confirmed = await confirmMovedCredential(vaultOf(d), bare, new URL(elsewhereUrl).origin);
    expect(confirmed.credentialHold).toBeNull();
    expect(elsewhere.server.requests).toHaveLength(0);
    expect(() => vaultOf(d).workspaces.connection(bare)).not.toThrow();
    await revokeToken(vaultOf(d), token).catch(() => undefined);
    expect(elsewhere.server.requests.length).toBeGreaterThan(0);
  });

  it('a manual workspace moved by a synced change is not held: it sends nothing anywhere', async () => {
    const port = c.port as VaultSharingDevice;
    const manual = port.addWorkspace({ name: 'by-hand', kind: 'manual', tokenPageUrl: `${homeUrl}/tokens` }, null);
    await c.engine.addWorkspace(team2, manual);
    await c.engine.sync(team2);
    await d.engine.sync(team2);
    vaultOf(c).workspaces.update(manual, { baseUrl: elsewhereUrl });
    await c.engine.sync(team2);
    await d.engine.sync(team2);
    expect(vaultOf(d).workspaces.get(manual)).toMatchObject({ baseUrl: elsewhereUrl, credentialHold: null });
  });
});
