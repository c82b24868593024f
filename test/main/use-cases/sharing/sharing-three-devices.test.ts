import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageDecrypt } from '../../../../src/main/use-cases/sharing/age-x25519';
import { openDeviceKeys } from '../../../../src/main/use-cases/sharing/device-identity';
import { recordPath } from '../../../../src/main/use-cases/sharing/record-file';
import { startGitHttpServer, type GitHttpServer } from './git-http-server';
import { allObjectBytes, sharingSandbox, type Device } from './sharing-fixture';

/**
 * Three devices (three stores behind the sharing port, three identities) share through one bare repository, reached
 * over a file path and over git's own smart HTTP (git http-backend on 127.0.0.1). The story runs in order.
 */

const box = sharingSandbox();
let http: GitHttpServer;
beforeAll(async () => {
  http = await startGitHttpServer(join(box.root, 'remotes'));
});
afterAll(() => http.close());

const TRANSPORTS = [
  { name: 'a file path', remote: (bare: string) => bare },
  { name: "git's smart HTTP on 127.0.0.1", remote: (bare: string) => `${http.url}/${bare.split('/').pop()}` },
] as const;

/** Edit times an hour ahead of the syncs so far, so the order of edits is the one the test states. */
const EDITS = Date.now() + 3_600_000;
const at = (s: number) => () => new Date(EDITS + s * 1000);

describe.each(TRANSPORTS)('sharing over $name', (transport) => {
  let bare = '';
  let remote = '';
  let a: Device;
  let b: Device;
  let c: Device;
  let ws = '';
  const tokens: Record<string, string> = {};
  const secrets: string[] = [];
  const plaintexts: string[] = [];
  const team = 'platform-team';

  beforeAll(() => {
    const slug = transport.name.startsWith('a file') ? 'path' : 'http';
    bare = box.bareRepo(`team-${slug}`);
    remote = transport.remote(bare);
    a = box.device(`alice-${slug}`);
    b = box.device(`bob-${slug}`);
    c = box.device(`carol-${slug}`);
  });

  const remember = (...values: string[]) => plaintexts.push(...values);

  it('first share: the founder pushes a workspace and its tokens; nothing else can be pushed into a non-empty repository', async () => {
    ws = a.port.addWorkspace({ name: 'acme-gitlab', kind: 'gitlab', baseUrl: 'https://gitlab.acme-internal.example', username: 'ci-robot-acme' }, 'glpat-ADMIN-0123456789abcdef');
    remember('acme-gitlab', 'gitlab.acme-internal.example', 'ci-robot-acme', 'glpat-ADMIN-0123456789abcdef', team);
    for (const n of ['deploy', 'release', 'registry']) {
      const secret = `glpat-${n.toUpperCase()}-secret-${'x'.repeat(12)}`;
      tokens[n] = a.port.addToken(ws, { name: `acme-${n}-token`, notes: `rotate with the ${n} runbook`, url: `https://gitlab.acme-internal.example/${n}`, scopes: ['api'] }, secret);
      secrets.push(secret);
      remember(`acme-${n}-token`, `rotate with the ${n} runbook`, secret);
    }
    const out = await a.engine.init({ remote, team, workspaceIds: [ws] });
    expect(out).toMatchObject({ team, pushed: 4, pulled: 0, conflicts: 0, rejected: [], attempts: 1 });
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/);

    // a second founder is refused: the repository is not empty and this device did not create it
    const other = box.device(`other-${transport.name.length}`);
    const ows = other.port.addWorkspace({ name: 'other' });
    await expect(other.engine.init({ remote, team: 'other', workspaceIds: [ows] })).rejects.toMatchObject({ code: 'share-not-empty' });
    expect(other.port.listShares()).toEqual([]);
  });

  it('join: a device not yet added is refused; once a member adds its identity it reads every token', async () => {
    const bobId = b.engine.identity().identity;
    await expect(b.engine.join({ remote })).rejects.toMatchObject({ code: 'share-not-member' });
    expect(b.port.listShares()).toEqual([]);
    await expect(a.engine.addMember(team, 'bob', bobId.slice(0, -2) + 'zz')).rejects.toMatchObject({ code: 'invalid-argument' });
    const added = await a.engine.addMember(team, 'bob', bobId);
    expect(added.sync).toMatchObject({ pushed: 4 }); // every record re-encrypted for bob too
    const joined = await b.engine.join({ remote });
    expect(joined).toMatchObject({ team, pulled: 4, pushed: 0, rejected: [] });
    expect(b.port.token(tokens['deploy'] as string)).toMatchObject({ secret: secrets[0], fields: { name: 'acme-deploy-token', notes: 'rotate with the deploy runbook' } });
    expect(b.port.workspaces()[ws]).toMatchObject({ secret: 'glpat-ADMIN-0123456789abcdef', fields: { kind: 'gitlab', name: 'acme-gitlab' } });

    // bob adds carol: any member may change the list
    await b.engine.addMember(team, 'carol', c.engine.identity().identity);
    expect(await c.engine.join({ remote })).toMatchObject({ pulled: 4 });
    await a.engine.sync(team);
    expect(a.engine.members(team)[0]?.members.map((m) => [m.name, m.you])).toEqual([
      [`alice-${transport.name.startsWith('a file') ? 'path' : 'http'}`, true],
      ['bob', false],
      ['carol', false],
    ]);
  });

  it('concurrent edits of different fields both survive', async () => {
    const id = tokens['deploy'] as string;
    a.port.editToken(id, { description: 'used by the deploy pipeline' });
    b.port.editToken(id, { expiresAt: '2027-01-01T00:00:00.000Z' });
    remember('used by the deploy pipeline');
    await a.engine.sync(team);
    await b.engine.sync(team);
    await a.engine.sync(team);
    await c.engine.sync(team);
    for (const d of [a, b, c]) expect(d.port.token(id)?.fields).toMatchObject({ description: 'used by the deploy pipeline', expiresAt: '2027-01-01T00:00:00.000Z' });
  });

  it('the same field edited on two devices: the later edit wins whichever device syncs first; the loser stays in history', async () => {
    const x = tokens['release'] as string;
    const y = tokens['registry'] as string;
    a.port.clock = at(10);
    b.port.clock = at(20);
    a.port.editToken(x, { notes: 'x: alice, earlier' });
    b.port.editToken(x, { notes: 'x: bob, later' });
    a.port.clock = at(40);
    b.port.clock = at(30);
    a.port.editToken(y, { notes: 'y: alice, later' });
    b.port.editToken(y, { notes: 'y: bob, earlier' });
    remember('x: alice, earlier', 'x: bob, later', 'y: alice, later', 'y: bob, earlier');
    await a.engine.sync(team); // alice first for both tokens
    await b.engine.sync(team);
    await a.engine.sync(team);
    await c.engine.sync(team);
    for (const d of [a, b, c]) {
      expect(d.port.token(x)?.fields.notes).toBe('x: bob, later');
      expect(d.port.token(y)?.fields.notes).toBe('y: alice, later');
    }
    const shareId = a.port.listShares()[0]?.shareId as string;
    for (const d of [a, b, c]) {
      expect(d.port.history(shareId, x).map((h) => [h.field, h.value])).toContainEqual(['notes', 'x: alice, earlier']);
      expect(d.port.history(shareId, y).map((h) => [h.field, h.value])).toContainEqual(['notes', 'y: bob, earlier']);
    }
  });

  it('two secrets set concurrently are both kept ("two secrets: pick one") until a member picks; the pick syncs', async () => {
    const id = tokens['release'] as string;
    a.port.setSecret(id, 'glpat-ROTATED-BY-ALICE-111');
    b.port.setSecret(id, 'glpat-ROTATED-BY-BOB-222');
    remember('glpat-ROTATED-BY-ALICE-111', 'glpat-ROTATED-BY-BOB-222');
    await a.engine.sync(team);
    const bSync = await b.engine.sync(team);
    expect(bSync.conflicts).toBe(1);
    await a.engine.sync(team);
    await c.engine.sync(team);
    for (const d of [a, b, c]) {
      const t = d.port.token(id);
      expect(t?.secretConflict?.map((s) => s.secret).sort()).toEqual(['glpat-ROTATED-BY-ALICE-111', 'glpat-ROTATED-BY-BOB-222']);
      expect(t?.secretConflict?.map((s) => s.setBy)).toEqual(expect.arrayContaining(['bob', expect.stringMatching(/^alice-/)]));
    }
    expect((await c.engine.status({ team }))[0]).toMatchObject({ conflicts: 1, ahead: 0 });

    // carol picks alice's; the pick is an edit that syncs to everyone; bob's value stays in history
    const t = c.port.token(id);
    const index = t?.secretConflict?.findIndex((s) => s.secret === 'glpat-ROTATED-BY-ALICE-111') ?? -1;
    c.engine.pickSecret(id, index);
    expect((await c.engine.status({ team }))[0]).toMatchObject({ conflicts: 0, ahead: 1 });
    await c.engine.sync(team);
    await a.engine.sync(team);
    await b.engine.sync(team);
    const shareId = a.port.listShares()[0]?.shareId as string;
    for (const d of [a, b, c]) {
      expect(d.port.token(id)).toMatchObject({ secret: 'glpat-ROTATED-BY-ALICE-111', secretConflict: null });
      expect(d.port.history(shareId, id).map((h) => h.value)).toContain('glpat-ROTATED-BY-BOB-222');
    }
  });

  it('one device offline for a while: the others move on; when it comes back its own edits and theirs all survive', async () => {
    const deploy = tokens['deploy'] as string;
    const registry = tokens['registry'] as string;
    // carol is offline: she edits locally
    c.port.clock = at(50);
    c.port.editToken(registry, { scopes: ['api', 'read_registry'] });
    const carolsNew = c.port.addToken(ws, { name: 'acme-carol-offline-token', notes: 'made on the train' }, 'glpat-CAROL-OFFLINE-333');
    remember('acme-carol-offline-token', 'made on the train', 'glpat-CAROL-OFFLINE-333');
    // alice and bob go through several rounds
    const aliceNew = a.port.addToken(ws, { name: 'acme-alice-new-token' }, 'glpat-ALICE-NEW-444');
    remember('acme-alice-new-token', 'glpat-ALICE-NEW-444');
    await a.engine.sync(team);
    await b.engine.sync(team);
    b.port.editToken(deploy, { status: 'inactive' });
    b.port.removeToken(tokens['release'] as string);
    await b.engine.sync(team);
    a.port.setSecret(aliceNew, 'glpat-ALICE-NEW-555');
    remember('glpat-ALICE-NEW-555');
    await a.engine.sync(team);
    expect((await c.engine.status({ team, fetch: true }))[0]).toMatchObject({ ahead: 2, behind: 3 });
    // carol comes back
    const back = await c.engine.sync(team);
    expect(back).toMatchObject({ rejected: [], conflicts: 0 });
    await a.engine.sync(team);
    await b.engine.sync(team);
    for (const d of [a, b, c]) {
      expect(d.port.token(registry)?.fields.scopes).toEqual(['api', 'read_registry']);
      expect(d.port.token(carolsNew)).toMatchObject({ secret: 'glpat-CAROL-OFFLINE-333' });
      expect(d.port.token(aliceNew)).toMatchObject({ secret: 'glpat-ALICE-NEW-555' });
      expect(d.port.token(deploy)?.fields.status).toBe('inactive');
      expect(d.port.token(tokens['release'] as string)).toBeUndefined();
    }
    tokens['carol'] = carolsNew;
    tokens['alice'] = aliceNew;
  });

  it('removal: everything is re-encrypted for the others; the removed member reads nothing new; everyone gets "member removed" reminders', async () => {
    const carolKeys = openDeviceKeys(c.port.readDeviceKeys() as NonNullable<ReturnType<typeof c.port.readDeviceKeys>>);
    const carolBefore = c.port.contentSnapshot();
    const liveTokens = Object.keys(a.port.tokens()).sort();
    const removed = await a.engine.removeMember(team, 'carol');
    expect(removed.sync.membersRemoved).toEqual(['carol']);
    expect(removed.sync.remindersRaised).toBe(liveTokens.length);
    expect(a.port.reminders().map((r) => [r.tokenId, r.member]).sort()).toEqual(liveTokens.map((t) => [t, 'carol']));

    // bob learns of it at his next sync, with the same reminders
    const bobSync = await b.engine.sync(team);
    expect(bobSync.membersRemoved).toEqual(['carol']);
    expect(b.port.reminders().map((r) => r.tokenId).sort()).toEqual(liveTokens);

    // something written after the removal
    a.port.setSecret(tokens['deploy'] as string, 'glpat-AFTER-REMOVAL-666');
    remember('glpat-AFTER-REMOVAL-666');
    await a.engine.sync(team);

    // carol: her sync is refused and her vault is left as it was
    await expect(c.engine.sync(team)).rejects.toMatchObject({ code: 'share-not-member' });
    expect(c.port.contentSnapshot()).toBe(carolBefore);
    expect(c.port.listShares()[0]?.lastError?.code).toBe('share-not-member');

    // and no record file at the tip is readable with her key any more (she could read every one before)
    const shareId = a.port.listShares()[0]?.shareId as string;
    for (const id of [...liveTokens, ws]) {
      const file = execFileSync('git', ['show', `main:${recordPath(shareId, id)}`], { cwd: bare });
      const age = file.subarray(file.indexOf(0x0a) + 1);
      expect(ageDecrypt(age, carolKeys.age)).toBeNull();
    }
  });

  it('the repository never holds a secret, a name, a URL, a note, the team or a member name in clear (every object scanned)', () => {
    const bytes = allObjectBytes(bare);
    expect(bytes.length).toBeGreaterThan(10_000);
    const text = bytes.toString('latin1');
    const found = [...new Set([...plaintexts, ...secrets])].filter((p) => text.includes(p));
    expect(found).toEqual([]);
    // device names, and the JSON keys any decrypted payload or member-list meta would carry
    const keys = ['alice-path', 'alice-http', 'bob-path', 'bob-http', 'carol-path', 'carol-http', '"name"', '"notes"', '"team"', '"secret"', '"members":{'];
    expect(keys.filter((k) => text.includes(k))).toEqual([]);
    expect(text).not.toMatch(/glpat-/);
  });

  it('status: nothing ahead or behind after everyone synced', async () => {
    await a.engine.sync(team);
    await b.engine.sync(team);
    for (const d of [a, b]) expect((await d.engine.status({ team, fetch: true }))[0]).toMatchObject({ ahead: 0, behind: 0, conflicts: 0, lastError: null, members: 2 });
    if (transport.name.startsWith('git')) expect(http.requests.some((r) => r.includes('git-receive-pack'))).toBe(true);
  });
});
