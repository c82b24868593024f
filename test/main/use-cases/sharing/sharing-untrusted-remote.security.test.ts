import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageRecipient } from '../../../../src/main/use-cases/sharing/age-x25519';
import { decodeRecipient, generateDeviceKeys, openDeviceKeys } from '../../../../src/main/use-cases/sharing/device-identity';
import { encodeMemberList, memberFromIdentity, type MemberList } from '../../../../src/main/use-cases/sharing/member-list';
import { decodeRecord, encodeRecord, recordPath, type RecordPayload } from '../../../../src/main/use-cases/sharing/record-file';
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
    a = box.device('alice');
    b = box.device('bob');
    const ws = a.port.addWorkspace({ name: 'vault-ws' }, null);
    tokenId = a.port.addToken(ws, { name: 'db-password' }, 's3cret-db-password');
    a.port.addToken(ws, { name: 'second' }, 'second-secret');
    await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
    await a.engine.addMember(team, 'bob', b.engine.identity().identity);
    await b.engine.join({ remote: bare });
    shareId = a.port.listShares()[0]?.shareId as string;
  });

  it('a record forged by a non-member (valid age, valid signature of a key that is not a member) is refused; the vault is unchanged; the repository heals', async () => {
    const mallory = openDeviceKeys(generateDeviceKeys('mallory'));
    const forgedId = 'forged-token-0001';
    const bobRecipient = ageRecipient(decodeRecipient(openDeviceKeys(b.port.readDeviceKeys()!).publicIdentity.recipient));
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
    writeFileSync(join(dir, path), encodeRecord(shareId, path, payload, { deviceId: mallory.publicIdentity.deviceId, key: mallory.signingKey }, [bobRecipient]));
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
    const file = encodeRecord(shareId, path, payload, { deviceId: alice.publicIdentity.deviceId, key: alice.signingKey }, [ageRecipient(alice.age.publicRaw)]);
    expect(decodeRecord(shareId, path, file, new Map([[alice.publicIdentity.deviceId, alice.publicIdentity.signingKey]]), alice.age)).toEqual({ ok: false, reason: 'wrong-id' });
    expect(decodeRecord('another-share', path, file, new Map([[alice.publicIdentity.deviceId, alice.publicIdentity.signingKey]]), alice.age)).toEqual({ ok: false, reason: 'bad-signature' });
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
    // carol is added (version 3), everyone syncs
    const c = box.device('carol');
    await a.engine.addMember(team, 'carol', c.engine.identity().identity);
    await b.engine.sync(team);
    const dir = hostClone(bare);
    rmSync(join(dir, 'members/00000003'));
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
