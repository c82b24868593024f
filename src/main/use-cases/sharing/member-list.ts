import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppFailure } from '../../errors';
import { ageDecrypt, ageEncrypt, ageRecipient, AgeFormatError, type AgeIdentity, type AgeRecipient } from './age-x25519';
import { decodeRecipient, deviceIdOf, type PublicIdentity } from './device-identity';
import { sha256Hex, signMessage, verifyMessage } from './share-signing';
import type { KeyObject } from 'node:crypto';

/**
 * The signed member list: one file per version, `members/00000001`, `members/00000002`, ...
 *
 *   <body JSON>\n<Ed25519 signature of the body, base64>\n
 *
 * The body names the share, its version, the SHA-256 of the previous version's file, the signer, and each member's
 * public keys in clear (so anyone joining can check the whole chain, even versions encrypted before they joined);
 * the team name, the members' names and the version's CONTENT KEY are in `meta`, an age file encrypted to that
 * version's members (one X25519 stanza per member: this is the "key file" of the version).
 *
 * Every version has a fresh random content key, and every record file is sealed under the key of the current version
 * (record-file.ts). Why one key per version rather than an age file per record: age wraps its file key once per
 * recipient, so a record cost one X25519 per member to write and about (members+1)/2 to read (the stanzas do not say
 * whom they are for), i.e. 10,000 records x 10 members = 100,000 key agreements per member change. With one key per
 * version a record costs one AES-256-GCM either way, whatever the number of members, and "encrypted to every member's
 * recipient" still holds: each member's recipient unwraps the key that opens every record. A member change (add or
 * remove) draws a new key and re-seals every record under it, so a removed member's old key opens nothing written
 * after the removal, and a member added later reads from then on.
 *
 * Version 1 is signed by its only member, the founder. Version n is signed by a member of version n-1 and names its
 * hash: only a member changes the list, and a device that has seen version k refuses a remote whose list is shorter
 * (rolled back) or whose version k is another file (forked). What a device that never saw a later version cannot
 * tell apart is said in the README: the host can show a newcomer an older, validly signed list.
 */

export const MEMBERS_DIR = 'members/';
const FORMAT = 'tokenvault-members';
const SIGN_DOMAIN = 'tokenvault share members v1';

export const memberListPath = (version: number): string => `${MEMBERS_DIR}${String(version).padStart(8, '0')}`;
export function memberListVersionOf(path: string): number | null {
  const m = /^members\/(\d{8})$/.exec(path);
  return m ? Number(m[1]) : null;
}

export interface Member {
  deviceId: string;
  /** The member's name in this share (as given when added). */
  name: string;
  /** The device's own name from its identity line. */
  deviceName: string;
  recipient: string;
  signingKey: string;
  addedAt: string;
  addedBy: string;
}

export interface MemberList {
  shareId: string;
  version: number;
  /** SHA-256 of this version's file. */
  hash: string;
  team: string;
  signer: string;
  members: Member[];
  /** This version's content key (32 bytes, base64), or null when this device is not among the version's members. */
  key: string | null;
}

const bodySchema = z.lazy(() =>
  z.object({
    format: z.literal(FORMAT),
    v: z.literal(1),
    shareId: z.string().min(1).max(100),
    version: z.number().int().positive(),
    prev: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    signer: z.string().regex(/^[0-9a-f]{20}$/),
    members: z
      .array(z.object({ device: z.string().regex(/^[0-9a-f]{20}$/), recipient: z.string().max(200), signingKey: z.string().max(100) }))
      .min(1)
      .max(1000),
    meta: z.string().max(1_000_000),
  }),
);
type Body = z.infer<typeof bodySchema>;

const metaSchema = z.lazy(() =>
  z.object({
    team: z.string().max(200),
    key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
    members: z.record(z.string(), z.object({ name: z.string().max(200), deviceName: z.string().max(100), addedAt: z.string().max(40), addedBy: z.string().max(100) })),
  }),
);

export interface MemberListSigner {
  deviceId: string;
  key: KeyObject;
}

/** Writes version `prev.version + 1` (or 1 when `prev` is null) with exactly these members, signed by `signer`. */
export function encodeMemberList(input: { shareId: string; prev: MemberList | null; team: string; members: Member[]; signer: MemberListSigner }): { file: Buffer; list: MemberList } {
  const version = (input.prev?.version ?? 0) + 1;
  const key = randomBytes(32).toString('base64');
  const meta = {
    team: input.team,
    key,
    members: Object.fromEntries(input.members.map((m) => [m.deviceId, { name: m.name, deviceName: m.deviceName, addedAt: m.addedAt, addedBy: m.addedBy }])),
  };
  const recipients: AgeRecipient[] = input.members.map((m) => ageRecipient(decodeRecipient(m.recipient)));
  const body: Body = {
    format: FORMAT,
    v: 1,
    shareId: input.shareId,
    version,
    prev: input.prev?.hash ?? null,
    signer: input.signer.deviceId,
    members: input.members.map((m) => ({ device: m.deviceId, recipient: m.recipient, signingKey: m.signingKey })),
    meta: ageEncrypt(Buffer.from(JSON.stringify(meta)), recipients).toString('base64'),
  };
  const bodyText = JSON.stringify(body);
  const path = memberListPath(version);
  const sig = signMessage(input.signer.key, SIGN_DOMAIN, [path, bodyText]);
  const file = Buffer.from(`${bodyText}\n${sig}\n`, 'utf8');
  return { file, list: { shareId: input.shareId, version, hash: sha256Hex(file), team: input.team, signer: input.signer.deviceId, members: input.members, key } };
}

const untrusted = (why: string) =>
  new AppFailure('share-untrusted', `The shared repository's member list was refused: ${why}. Nothing was changed here; tell the other members.`);

function parseBody(path: string, file: Buffer): { body: Body; bodyText: string; sig: string } {
  const text = file.toString('utf8');
  const parts = text.split('\n');
  if (parts.length !== 3 || parts[2] !== '') throw untrusted(`${path} is malformed`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(parts[0] ?? '');
  } catch {
    throw untrusted(`${path} is malformed`);
  }
  const body = bodySchema.safeParse(parsed);
  if (!body.success) throw untrusted(`${path} is malformed`);
  return { body: body.data, bodyText: parts[0] ?? '', sig: parts[1] ?? '' };
}

function checkMembers(path: string, body: Body): void {
  const seen = new Set<string>();
  for (const m of body.members) {
    let x: Buffer;
    try {
      x = decodeRecipient(m.recipient);
    } catch {
      throw untrusted(`${path} holds a key that is not one`);
    }
    const ed = Buffer.from(m.signingKey, 'base64url');
    if (ed.length !== 32 || deviceIdOf(x, ed) !== m.device) throw untrusted(`${path} holds a member whose id does not match its keys`);
    if (seen.has(m.device)) throw untrusted(`${path} names a member twice`);
    seen.add(m.device);
  }
}

function readMeta(body: Body, identity: AgeIdentity | null): z.infer<typeof metaSchema> | null {
  if (!identity) return null;
  try {
    const plain = ageDecrypt(Buffer.from(body.meta, 'base64'), identity);
    if (!plain) return null;
    const meta = metaSchema.safeParse(JSON.parse(plain.toString('utf8')));
    // Addressed to us and signed by a member, yet not a meta we can use: refuse it rather than act as a non-member.
    if (!meta.success) throw untrusted('its names and key are unreadable');
    return meta.data;
  } catch (error) {
    if (error instanceof AgeFormatError || error instanceof SyntaxError) throw untrusted('its names are unreadable');
    throw error;
  }
}

function toList(body: Body, file: Buffer, identity: AgeIdentity | null, previous: MemberList | null): MemberList {
  const meta = readMeta(body, identity);
  const known = new Map(previous?.members.map((m) => [m.deviceId, m]));
  return {
    shareId: body.shareId,
    version: body.version,
    hash: sha256Hex(file),
    team: meta?.team ?? previous?.team ?? '',
    signer: body.signer,
    key: meta?.key ?? null,
    members: body.members.map((m) => {
      const about = meta?.members[m.device];
      const before = known.get(m.device);
      return {
        deviceId: m.device,
        name: about?.name ?? before?.name ?? m.device,
        deviceName: about?.deviceName ?? before?.deviceName ?? m.device,
        recipient: m.recipient,
        signingKey: m.signingKey,
        addedAt: about?.addedAt ?? before?.addedAt ?? '',
        addedBy: about?.addedBy ?? before?.addedBy ?? '',
      };
    }),
  };
}

export interface VerifiedChain {
  /** Every version after the known one, oldest first (the last is the current list). Empty: nothing new. */
  added: MemberList[];
  current: MemberList;
}

/**
 * Checks the member-list files of a fetched tree against what this device already trusts (`known`, null for a
 * device joining: then the chain is checked from the founder's version 1). Throws AppFailure('share-untrusted') for
 * a forged, altered, rolled-back or forked list, or one of another share.
 */
export function verifyMemberChain(files: ReadonlyMap<number, Buffer>, known: MemberList | null, identity: AgeIdentity | null): VerifiedChain {
  const versions = [...files.keys()].sort((a, b) => a - b);
  const latest = versions.at(-1) ?? 0;
  if (latest === 0) throw untrusted('the repository has none');
  if (versions.length !== latest) throw untrusted('a version is missing');
  if (known) {
    if (latest < known.version) throw untrusted(`it went back from version ${known.version} to ${latest} (rolled back)`);
    const same = files.get(known.version);
    if (!same || sha256Hex(same) !== known.hash) throw untrusted(`version ${known.version} is not the one this device saw (forked)`);
  }
  const added: MemberList[] = [];
  let prev = known;
  for (let v = (known?.version ?? 0) + 1; v <= latest; v++) {
    const path = memberListPath(v);
    const file = files.get(v) as Buffer;
    const { body, bodyText, sig } = parseBody(path, file);
    if (body.version !== v) throw untrusted(`${path} says it is version ${body.version}`);
    if (prev && body.shareId !== prev.shareId) throw untrusted(`${path} belongs to another share`);
    checkMembers(path, body);
    const signers = prev ? prev.members : body.members.map((m) => ({ deviceId: m.device, signingKey: m.signingKey }));
    if (!prev && body.members.length !== 1) throw untrusted('its first version has more than its founder');
    if (prev ? body.prev !== prev.hash : body.prev !== null) throw untrusted(`${path} does not follow the version before it`);
    const signer = signers.find((m) => m.deviceId === body.signer);
    if (!signer) throw untrusted(`${path} is signed by someone who was not a member`);
    if (!verifyMessage(signer.signingKey, sig, SIGN_DOMAIN, [path, bodyText])) throw untrusted(`${path} has a signature that does not verify`);
    const list = toList(body, file, identity, prev);
    added.push(list);
    prev = list;
  }
  return { added, current: prev as MemberList };
}

/** A member entry for someone being added, from their identity line. */
export function memberFromIdentity(identity: PublicIdentity, name: string, addedBy: string, at: string): Member {
  return { deviceId: identity.deviceId, name, deviceName: identity.deviceName, recipient: identity.recipient, signingKey: identity.signingKey, addedAt: at, addedBy };
}
