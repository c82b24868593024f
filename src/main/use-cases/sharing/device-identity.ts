import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { bech32 } from '@scure/base';
import { AppFailure } from '../../errors';
import { ageIdentity, rawX25519Public, type AgeIdentity } from './age-x25519';
import type { DeviceKeys } from './sharing-port';

/**
 * A device's identity: an X25519 key pair (age recipient / identity) to read records, an Ed25519 key pair to sign them.
 * The public half travels as one line, `tvid1:NAME:age1...:ED25519:CHECK`, where CHECK (8 hex digits of SHA-256 over
 * the rest) catches a mistyped or truncated paste before it becomes a member nobody can use.
 */

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const IDENTITY_PREFIX = 'tvid1';
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export const ed25519PublicKey = (raw: Uint8Array): KeyObject => {
  if (raw.length !== 32) throw new AppFailure('invalid-argument', 'An Ed25519 public key is 32 bytes.');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
};
const ed25519PrivateKey = (raw: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: 'der', type: 'pkcs8' });
const rawPrivate = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_X25519.length);
const rawEdPublic = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length);

/** What a member is to everyone else: the keys and the device's own name. */
export interface PublicIdentity {
  deviceId: string;
  deviceName: string;
  /** age recipient, `age1...`. */
  recipient: string;
  /** Ed25519 public key, base64url (43 characters). */
  signingKey: string;
}

/** Stable, short and fixed-width (stamps embed it): 20 hex digits of SHA-256 over both public keys. */
export function deviceIdOf(x25519Public: Uint8Array, ed25519Public: Uint8Array): string {
  return createHash('sha256').update('tokenvault device\0').update(x25519Public).update(ed25519Public).digest('hex').slice(0, 20);
}

export const encodeRecipient = (raw: Uint8Array): string => bech32.encodeFromBytes('age', raw);

/** The 32 bytes of an `age1...` recipient; AppFailure('invalid-argument') for anything else. */
export function decodeRecipient(recipient: string): Buffer {
  try {
    const { prefix, bytes } = bech32.decodeToBytes(recipient);
    if (prefix === 'age' && bytes.length === 32 && recipient.startsWith('age1')) return Buffer.from(bytes);
  } catch {
    // fall through to the typed error
  }
  throw new AppFailure('invalid-argument', 'That is not an age X25519 recipient (age1...).');
}

/** A device name from anything (a host name): the characters an identity line allows, at most 64. */
export function sanitizeDeviceName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return clean || 'device';
}

/** Fresh key pairs for this device. The private halves go to the vault, sealed by its data key. */
export function generateDeviceKeys(deviceName: string, now = new Date()): DeviceKeys {
  const x = generateKeyPairSync('x25519');
  const e = generateKeyPairSync('ed25519');
  return {
    deviceId: deviceIdOf(rawX25519Public(x.publicKey), rawEdPublic(e.publicKey)),
    deviceName: sanitizeDeviceName(deviceName),
    x25519Private: rawPrivate(x.privateKey).toString('base64'),
    ed25519Private: rawPrivate(e.privateKey).toString('base64'),
    createdAt: now.toISOString(),
  };
}

/** The keys of this device, opened for use. */
export interface DeviceSecrets {
  readonly publicIdentity: PublicIdentity;
  readonly age: AgeIdentity;
  readonly signingKey: KeyObject;
  /** Keys the digests this device keeps of synced values (see record-merge.ts). */
  readonly digestKey: Buffer;
}

export function openDeviceKeys(keys: DeviceKeys): DeviceSecrets {
  const xPriv = Buffer.from(keys.x25519Private, 'base64');
  const edPriv = Buffer.from(keys.ed25519Private, 'base64');
  const age = ageIdentity(xPriv);
  const signingKey = ed25519PrivateKey(edPriv);
  const edPub = rawEdPublic(createPublicKey(signingKey));
  const deviceId = deviceIdOf(age.publicRaw, edPub);
  if (deviceId !== keys.deviceId) throw new AppFailure('vault-corrupt', "This device's sharing keys do not match their id: the vault is damaged.");
  return {
    publicIdentity: { deviceId, deviceName: keys.deviceName, recipient: encodeRecipient(age.publicRaw), signingKey: edPub.toString('base64url') },
    age,
    signingKey,
    digestKey: Buffer.from(hkdfSync('sha256', xPriv, Buffer.alloc(0), 'tokenvault share digest', 32)),
  };
}

const checksum = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 8);

/** The one-line public identity a member pastes into `add-member`. */
export function formatIdentity(id: PublicIdentity): string {
  const body = `${IDENTITY_PREFIX}:${id.deviceName}:${id.recipient}:${id.signingKey}`;
  return `${body}:${checksum(body)}`;
}

/** Parses an identity line; a wrong checksum, a wrong key length or a foreign format is AppFailure('invalid-argument'). */
export function parseIdentity(line: string): PublicIdentity {
  const text = line.trim();
  const parts = text.split(':');
  const bad = (why: string) => new AppFailure('invalid-argument', `That identity is not usable: ${why}. Copy it again from the other device.`);
  if (parts.length !== 5 || parts[0] !== IDENTITY_PREFIX) throw bad('it is not a Token Vault identity line (tvid1:...)');
  const [, name = '', recipient = '', signing = '', check = ''] = parts;
  if (checksum(parts.slice(0, 4).join(':')) !== check) throw bad('its checksum does not match (a character is missing or mistyped)');
  if (!NAME.test(name)) throw bad('its device name has characters an identity cannot hold');
  const x = decodeRecipient(recipient);
  const ed = Buffer.from(signing, 'base64url');
  if (ed.length !== 32 || ed.toString('base64url') !== signing) throw bad('its signing key is not an Ed25519 key');
  ed25519PublicKey(ed);
  return { deviceId: deviceIdOf(x, ed), deviceName: name, recipient, signingKey: signing };
}
