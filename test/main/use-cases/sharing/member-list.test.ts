import { describe, expect, it } from 'vitest';
import { generateDeviceKeys, openDeviceKeys, type DeviceSecrets } from '../../../../src/main/use-cases/sharing/device-identity';
import { encodeMemberList, memberFromIdentity, verifyMemberChain, type MemberList } from '../../../../src/main/use-cases/sharing/member-list';

const device = (name: string) => openDeviceKeys(generateDeviceKeys(name));
const alice = device('alice');
const bob = device('bob');
const carol = device('carol');
const mallory = device('mallory');
const member = (d: DeviceSecrets, name = d.publicIdentity.deviceName) => memberFromIdentity(d.publicIdentity, name, 'alice', '2026-01-01T00:00:00Z');
const signer = (d: DeviceSecrets) => ({ deviceId: d.publicIdentity.deviceId, key: d.signingKey });

/** alice founds (v1), adds bob (v2), bob adds carol (v3), alice removes bob (v4). */
function chain() {
  const files = new Map<number, Buffer>();
  const lists: MemberList[] = [];
  let prev: MemberList | null = null;
  const steps: [DeviceSecrets, DeviceSecrets[]][] = [
    [alice, [alice]],
    [alice, [alice, bob]],
    [bob, [alice, bob, carol]],
    [alice, [alice, carol]],
  ];
  for (const [by, members] of steps) {
    const w = encodeMemberList({ shareId: 'share-1', prev, team: 'platform', members: members.map((m) => member(m)), signer: signer(by) });
    files.set(w.list.version, w.file);
    lists.push(w.list);
    prev = w.list;
  }
  return { files, lists };
}

const untrusted = (why: RegExp) => expect.objectContaining({ code: 'share-untrusted', message: expect.stringMatching(why) });

describe('the signed member list', () => {
  it('a joiner checks the whole chain from the founder; names are readable to the members of each version', () => {
    const { files } = chain();
    const v = verifyMemberChain(files, null, carol.age);
    expect(v.current.version).toBe(4);
    expect(v.current.team).toBe('platform');
    expect(v.current.members.map((m) => m.name)).toEqual(['alice', 'carol']);
    expect(v.added).toHaveLength(4);
    // bob cannot read version 4 (he was removed) but the chain still verifies for him; the names he knows are from v3
    expect(verifyMemberChain(files, null, bob.age).current.members.map((m) => m.name)).toEqual(['alice', 'carol']);
    // mallory was never a member: every member's keys check out, and she reads no name at all
    expect(verifyMemberChain(files, null, mallory.age).current.members.map((m) => m.name)).toEqual([alice.publicIdentity.deviceId, carol.publicIdentity.deviceId]);
  });

  it('a device that saw version 2 accepts 3 and 4 and learns each change', () => {
    const { files, lists } = chain();
    const v = verifyMemberChain(files, lists[1] as MemberList, alice.age);
    expect(v.added.map((l) => l.version)).toEqual([3, 4]);
  });

  it('refuses a version signed by someone who was not a member of the version before', () => {
    const { files, lists } = chain();
    const forged = encodeMemberList({ shareId: 'share-1', prev: lists[3] as MemberList, team: 'platform', members: [member(alice), member(carol), member(mallory)], signer: signer(mallory) });
    files.set(5, forged.file);
    expect(() => verifyMemberChain(files, lists[3] as MemberList, alice.age)).toThrow(untrusted(/not a member/));
    // and a removed member's signature no longer counts
    const byBob = encodeMemberList({ shareId: 'share-1', prev: lists[3] as MemberList, team: 'platform', members: [member(alice), member(carol), member(bob)], signer: signer(bob) });
    files.set(5, byBob.file);
    expect(() => verifyMemberChain(files, lists[3] as MemberList, alice.age)).toThrow(untrusted(/not a member/));
  });

  it('refuses an edited body (the signature no longer verifies)', () => {
    const { files } = chain();
    const edited = (files.get(3) as Buffer).toString().replace('"version":3', '"version":3 ');
    files.set(3, Buffer.from(edited));
    expect(() => verifyMemberChain(files, null, alice.age)).toThrow(untrusted(/signature|malformed/));
  });

  it('refuses a rolled-back list (fewer versions than this device saw) and a forked one', () => {
    const { files, lists } = chain();
    const rolled = new Map([...files].filter(([v]) => v <= 3));
    expect(() => verifyMemberChain(rolled, lists[3] as MemberList, alice.age)).toThrow(untrusted(/rolled back/));
    // a fork: bob rewrites version 4 off version 3, where he was still a member, keeping himself in
    const fork = encodeMemberList({ shareId: 'share-1', prev: lists[2] as MemberList, team: 'platform', members: [member(alice), member(bob)], signer: signer(bob) });
    const forked = new Map(files);
    forked.set(4, fork.file);
    expect(() => verifyMemberChain(forked, lists[3] as MemberList, alice.age)).toThrow(untrusted(/forked/));
  });

  it('refuses a gap, a version that does not name its predecessor, another share, and a founder with company', () => {
    const { files, lists } = chain();
    const gap = new Map(files);
    gap.delete(2);
    expect(() => verifyMemberChain(gap, null, alice.age)).toThrow(untrusted(/missing/));
    const skip = encodeMemberList({ shareId: 'share-1', prev: lists[0] as MemberList, team: 'platform', members: [member(alice)], signer: signer(alice) });
    const wrongPrev = new Map(files);
    wrongPrev.set(3, Buffer.from((skip.file.toString().replace('"version":2', '"version":3'))));
    expect(() => verifyMemberChain(wrongPrev, null, alice.age)).toThrow(untrusted(/signature|follow/));
    const other = encodeMemberList({ shareId: 'share-2', prev: lists[3] as MemberList, team: 'x', members: [member(alice)], signer: signer(alice) });
    expect(() => verifyMemberChain(new Map([...files, [5, other.file]]), lists[3] as MemberList, alice.age)).toThrow(untrusted(/another share/));
    const crowd = encodeMemberList({ shareId: 'share-3', prev: null, team: 'x', members: [member(mallory), member(alice)], signer: signer(mallory) });
    expect(() => verifyMemberChain(new Map([[1, crowd.file]]), null, alice.age)).toThrow(untrusted(/founder/));
  });
});
