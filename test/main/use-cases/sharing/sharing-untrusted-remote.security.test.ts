import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKeys, openDeviceKeys } from '../../../../src/main/use-cases/sharing/device-identity';
import { encodeMemberList, memberFromIdentity, type MemberList } from '../../../../src/main/use-cases/sharing/member-list';
import { decodeRecord, encodeRecord, recordPath, type ContentKey, type RecordPayload } from '../../../../src/main/use-cases/sharing/record-file';
import { parseEngineState } from '../../../../src/main/use-cases/sharing/share-sync';
import { sharingSandbox, type Device } from './sharing-fixture';

/**
 * Whoever hosts the remote (or anyone with push access who is not a member) writes to the repository. Every such
 * write is refused and reported, the local vault is left as it was, and the repository heals at the next push.
 */

const box = sharingSandbox('tv-share-sec-');
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=host', '-c', 'user.email=host@example.invalid', ...args], { cwd }).toString();

/** A plain clone of the bare repository, as the host would work on it. */
function hostClone(bare: string): string {
  const dir = mkdtempSync(join(box.root, 'host-'));
  execFileSync('git', ['clone', '--quiet', bare, dir]);
  return dir;
}
function hostPush(dir: string, message: string, force = false): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', message);
  git(dir, 'push', '--quiet', ...(force ? ['--force'] : []), 'origin', 'HEAD:main');
  rmSync(dir, { recursive: true, force: true });
}

/** The content key a device holds for its share's current member-list version. */
function contentKeyOf(d: Device): ContentKey {
  const list = parseEngineState(d.port.listShares()[0]!.engine).members as MemberList;
  return { version: list.version, key: Buffer.from(list.key as string, 'base64') };
}

/** The local records and reminders only (bookkeeping like lastError may change: that is the report). */
const records = (d: Device) => JSON.stringify({ w: d.port.workspaces(), t: d.port.tokens(), r: d.port.reminders() });

describe('an untrusted remote', () => {
  let bare = '';
  let a: Device;
  let b: Device;
  let shareId = '';
  let tokenId = '';
  const team = 'sec';

  beforeAll(async () => {
    bare = box.bareRepo('sec');
    a = await box.device('alice');
    b = await box.device('bob');
    const ws = a.port.addWorkspace({ name: 'vault-ws' }, null);
    tokenId = a.port.addToken(ws, { name: 'db-password' }, 's3cret-db-password');
    a.port.addToken(ws, { name: 'second' }, 'second-secret');
    await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
    await a.engine.addMember(team, 'bob', b.engine.identity().identity);
    await b.engine.join({ remote: bare });
    shareId = a.port.listShares()[0]?.shareId as string;
  });

  it('a record forged by a non-member (well formed, validly signed by a key that is not a member) is refused; the vault is unchanged; the repository heals', async () => {
    const mallory = openDeviceKeys(generateDeviceKeys('mallory'));
    const forgedId = 'forged-token-0001';
    // mallory does not have the content key: she seals under one of her own, for the current version
    const current = parseEngineState(b.port.listShares()[0]!.engine).members as MemberList;
    const malloryKey: ContentKey = { version: current.version, key: randomBytes(32) };
    const payload: RecordPayload = {
      v: 1,
      id: forgedId,
      kind: 'token',
      fields: {},
      secret: [{ v: 'mallory-planted', s: '00000000a.0000.' + mallory.publicIdentity.deviceId }],
      deleted: { v: false, s: '00000000a.0000.' + mallory.publicIdentity.deviceId },
      history: [],
    };
    const path = recordPath(shareId, forgedId);
    const dir = hostClone(bare);
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), encodeRecord(shareId, path, payload, { deviceId: mallory.publicIdentity.deviceId, key: mallory.signingKey }, malloryKey));
    hostPush(dir, 'planted');

    const before = records(b);
    const out = await b.engine.sync(team);
    expect(out.rejected).toEqual([{ path, reason: 'unknown-signer' }]);
    expect(records(b)).toBe(before);
    // healed: the next sync finds nothing to refuse
    expect((await a.engine.sync(team)).rejected).toEqual([]);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(path);
  });

  it('a tampered record file (one byte of ciphertext changed) and a record moved to another path are refused; the vault is unchanged', async () => {
    const path = recordPath(shareId, tokenId);
    const dir = hostClone(bare);
    const file = readFileSync(join(dir, path));
    file[file.length - 20] = (file[file.length - 20] as number) ^ 0x40;
    writeFileSync(join(dir, path), file);
    // and a valid file of another record copied over a path of its own
    const movedTo = recordPath(shareId, 'some-other-id');
    mkdirSync(dirname(join(dir, movedTo)), { recursive: true });
    writeFileSync(join(dir, movedTo), readFileSync(join(dir, recordPath(shareId, a.port.listShares()[0]!.workspaceIds[0] as string))));
    hostPush(dir, 'tampered');

    const before = records(b);
    const out = await b.engine.sync(team);
    expect(out.rejected).toEqual(expect.arrayContaining([{ path, reason: 'bad-signature' }, { path: movedTo, reason: 'bad-signature' }]));
    expect(records(b)).toBe(before);
    expect(b.port.token(tokenId)?.secret).toBe('s3cret-db-password');
    // b's push rewrote the tampered file from its own copy: alice reads it fine
    expect((await a.engine.sync(team)).rejected).toEqual([]);
    expect(a.port.token(tokenId)?.secret).toBe('s3cret-db-password');
  });

  it('a payload carrying another id than its path is refused even when a member signed it', () => {
    const alice = openDeviceKeys(a.port.readDeviceKeys()!);
    const payload: RecordPayload = { v: 1, id: 'id-one', kind: 'token', fields: {}, secret: [], deleted: { v: true, s: '00000000a.0000.' + alice.publicIdentity.deviceId }, history: [] };
    const path = recordPath(shareId, 'id-two');
    const ck = contentKeyOf(a);
    const signers = new Map([[alice.publicIdentity.deviceId, alice.publicIdentity.signingKey]]);
    const file = encodeRecord(shareId, path, payload, { deviceId: alice.publicIdentity.deviceId, key: alice.signingKey }, ck);
    expect(decodeRecord(shareId, path, file, signers, ck)).toEqual({ ok: false, reason: 'wrong-id' });
    expect(decodeRecord('another-share', path, file, signers, ck)).toEqual({ ok: false, reason: 'bad-signature' });
    // signed by a member for an older member-list version: a replay from before a member change
    expect(decodeRecord(shareId, path, file, signers, { ...ck, version: ck.version + 1 })).toEqual({ ok: false, reason: 'stale-key' });
    // the right version and signer, another key (a removed member's, say): it does not open
    const otherKey: ContentKey = { version: ck.version, key: randomBytes(32) };
    const sealedElsewhere = encodeRecord(shareId, recordPath(shareId, 'id-one'), payload, { deviceId: alice.publicIdentity.deviceId, key: alice.signingKey }, otherKey);
    expect(decodeRecord(shareId, recordPath(shareId, 'id-one'), sealedElsewhere, signers, ck)).toEqual({ ok: false, reason: 'bad-payload' });
  });

  it('a replayed older version of a record (validly signed once) does not roll the vault back, and is reported', async () => {
    const path = recordPath(shareId, tokenId);
    const old = execFileSync('git', ['show', `main:${path}`], { cwd: bare });
    a.port.setSecret(tokenId, 'rotated-db-password');
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(b.port.token(tokenId)?.secret).toBe('rotated-db-password');
    const dir = hostClone(bare);
    writeFileSync(join(dir, path), old);
    hostPush(dir, 'replay');
    const before = records(b);
    const out = await b.engine.sync(team);
    expect(out.rolledBack).toBe(1);
    expect(records(b)).toBe(before);
    expect(b.port.token(tokenId)?.secret).toBe('rotated-db-password');
    expect(execFileSync('git', ['show', `main:${path}`], { cwd: bare }).equals(old)).toBe(false); // healed
  });

  it('a record file from before a member change (sealed under the old key) is refused as stale; the vault is unchanged; the repository heals', async () => {
    const path = recordPath(shareId, tokenId);
    const old = execFileSync('git', ['show', `main:${path}`], { cwd: bare });
    const dave = await box.device('dave');
    await a.engine.addMember(team, 'dave', dave.engine.identity().identity);
    await b.engine.sync(team);
    const dir = hostClone(bare);
    writeFileSync(join(dir, path), old);
    hostPush(dir, 'replay from before the member change');
    const before = records(b);
    const out = await b.engine.sync(team);
    expect(out.rejected).toEqual([{ path, reason: 'stale-key' }]);
    expect(records(b)).toBe(before);
    expect(execFileSync('git', ['show', `main:${path}`], { cwd: bare }).equals(old)).toBe(false); // healed
    expect((await a.engine.sync(team)).rejected).toEqual([]);
  });

  it('a member list forged by a non-member is refused: nothing local changes and nothing is pushed', async () => {
    const mallory = openDeviceKeys(generateDeviceKeys('mallory'));
    const current = parseEngineState(b.port.listShares()[0]!.engine).members as MemberList;
    const forged = encodeMemberList({
      shareId,
      prev: current,
      team,
      members: [...current.members, memberFromIdentity(mallory.publicIdentity, 'mallory', 'mallory', new Date().toISOString())],
      signer: { deviceId: mallory.publicIdentity.deviceId, key: mallory.signingKey },
    });
    const dir = hostClone(bare);
    writeFileSync(join(dir, `members/${String(forged.list.version).padStart(8, '0')}`), forged.file);
    hostPush(dir, 'forged members');
    const tip = git(bare, 'rev-parse', 'main');
    const before = b.port.contentSnapshot();
    await expect(b.engine.sync(team)).rejects.toMatchObject({ code: 'share-untrusted', message: expect.stringMatching(/not a member/) });
    expect(b.port.contentSnapshot()).toBe(before);
    expect(b.port.listShares()[0]?.lastError?.code).toBe('share-untrusted');
    expect(git(bare, 'rev-parse', 'main')).toBe(tip);
    // undo the host's change for the next case (a fast-forward that deletes the forged file)
    const undo = hostClone(bare);
    rmSync(join(undo, `members/${String(forged.list.version).padStart(8, '0')}`));
    hostPush(undo, 'undo');
    expect((await b.engine.sync(team)).rejected).toEqual([]);
  });

  it('a rolled-back member list (the host drops the newest version) and a rewritten history are refused', async () => {
    // carol is added (the newest version), everyone syncs
    const c = await box.device('carol');
    await a.engine.addMember(team, 'carol', c.engine.identity().identity);
    await b.engine.sync(team);
    const newest = git(bare, 'ls-tree', '--name-only', 'main', 'members/').trim().split('\n').sort().at(-1) as string;
    const dir = hostClone(bare);
    rmSync(join(dir, newest));
    hostPush(dir, 'roll back the member list');
    const before = b.port.contentSnapshot();
    await expect(b.engine.sync(team)).rejects.toMatchObject({ code: 'share-untrusted', message: expect.stringMatching(/rolled back/) });
    expect(b.port.contentSnapshot()).toBe(before);

    // the host force-pushes an old commit: history rewritten
    const first = git(bare, 'rev-list', '--max-parents=0', 'main').trim();
    git(bare, 'update-ref', 'refs/heads/main', first);
    await expect(b.engine.sync(team)).rejects.toMatchObject({ code: 'share-untrusted', message: expect.stringMatching(/rewritten|rolled back/) });
    await expect(a.engine.sync(team)).rejects.toMatchObject({ code: 'share-untrusted' });
    expect(b.port.contentSnapshot()).toBe(before);
  });
});
