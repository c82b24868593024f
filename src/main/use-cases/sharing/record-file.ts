import { createCipheriv, createDecipheriv, createHash, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { SHARED_RECORD_KINDS, type HistoryEntry } from './sharing-port';
import { sha256Hex, signMessage, signMessageAsync, verifyMessage, verifyMessageAsync } from './share-signing';
import { isStamp } from './version-stamp';

/**
 * One record = one file in the repository:
 *
 *   tvrec2 <author device id> <member-list version> <Ed25519 signature, base64>\n
 *   <nonce 12 bytes><AES-256-GCM ciphertext><tag 16 bytes>
 *
 * The ciphertext is sealed under the content key of that member-list version (member-list.ts: a fresh key per
 * version, age-wrapped to each of its members), with the share id, the path and the version as associated data.
 * The signature covers the share id, the file path, the author, the version and the SHA-256 of the sealed bytes. The
 * path is derived from the share id and the record id (SHA-256, so it looks random and says nothing), and the record
 * id is inside the encrypted payload: a file moved to another path fails its signature, and a payload carrying
 * another id than its path fails the id check after decryption. Deriving the path (rather than drawing it) also means
 * a crash between a push and the local bookkeeping can never leave two files for one record.
 *
 * Only the CURRENT version's key is accepted when reading: every member change re-seals every record in the same
 * commit, so a file under an older key at the tip is a replay (or a removed member's write) and is refused.
 *
 * The payload is padded to a multiple of 256 bytes so sizes say little about what a record holds.
 */

const MAGIC = 'tvrec2';
const SIGN_DOMAIN = 'tokenvault share record v2';
const SEAL_DOMAIN = 'tokenvault share record seal v2';
const PAD = 256;
const NONCE = 12;
const TAG = 16;
export const HISTORY_LIMIT = 20;
export const RECORDS_DIR = 'records/';

export function recordPath(shareId: string, recordId: string): string {
  const h = sha256Hex(`tokenvault share record\0${shareId}\0${recordId}`).slice(0, 32);
  return `${RECORDS_DIR}${h.slice(0, 2)}/${h.slice(2)}`;
}

/** The content key records are sealed under: the current member-list version and its 32-byte key. */
export interface ContentKey {
  version: number;
  key: Buffer;
}

const stampSchema = z.lazy(() => z.string().refine(isStamp, 'not a version stamp'));
const historyEntrySchema = z.lazy(() =>
  z.object({
    field: z.string().max(100),
    value: z.unknown(),
    at: z.string().max(40),
    by: z.string().max(100),
    stamp: stampSchema,
  }),
);

const payloadSchema = z.lazy(() =>
  z.object({
    v: z.literal(1),
    id: z.string().min(1).max(100),
    kind: z.enum(SHARED_RECORD_KINDS),
    /** Per-field value and stamp. Empty for a deleted record (a tombstone keeps nothing). */
    fields: z.record(z.string().max(100), z.object({ v: z.unknown(), s: stampSchema })),
    /** Secret candidates: one normally, two or more while the record shows "two secrets: pick one". */
    secret: z.array(z.object({ v: z.string().max(100_000).nullable(), s: stampSchema })).max(16),
    deleted: z.object({ v: z.boolean(), s: stampSchema }),
    history: z.array(historyEntrySchema).max(HISTORY_LIMIT),
  }),
);

export type RecordPayload = z.infer<typeof payloadSchema> & { history: HistoryEntry[] };

export interface RecordSigner {
  deviceId: string;
  key: KeyObject;
}

const sealAad = (shareId: string, path: string, version: number) => Buffer.from(`${SEAL_DOMAIN}\0${shareId}\0${path}\0${version}`, 'utf8');

function sealPayload(shareId: string, path: string, payload: RecordPayload, ck: ContentKey): Buffer {
  const json = JSON.stringify(payload);
  const padded = Buffer.from(json + ' '.repeat((PAD - (Buffer.byteLength(json) % PAD)) % PAD), 'utf8');
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', ck.key, nonce, { authTagLength: TAG });
  c.setAAD(sealAad(shareId, path, ck.version));
  const body = c.update(padded);
  c.final();
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

const header = (author: string, version: number, sig: string) => Buffer.from(`${MAGIC} ${author} ${version} ${sig}\n`, 'latin1');
const signedParts = (shareId: string, path: string, author: string, version: number, sealed: Uint8Array) => [shareId, path, author, String(version), sha256Hex(sealed)];

/** Pads, seals under the content key, signs. */
export function encodeRecord(shareId: string, path: string, payload: RecordPayload, signer: RecordSigner, ck: ContentKey): Buffer {
  const sealed = sealPayload(shareId, path, payload, ck);
  const sig = signMessage(signer.key, SIGN_DOMAIN, signedParts(shareId, path, signer.deviceId, ck.version, sealed));
  return Buffer.concat([header(signer.deviceId, ck.version, sig), sealed]);
}

/**
 * Many records at once: this thread pads and seals while WebCrypto signs. Bounded in flight so memory stays flat at
 * 10,000 records.
 */
export async function encodeRecords(shareId: string, items: readonly { path: string; payload: RecordPayload }[], signer: RecordSigner, ck: ContentKey): Promise<Buffer[]> {
  const out: Buffer[] = new Array<Buffer>(items.length);
  const inFlight: Promise<void>[] = [];
  for (const [i, { path, payload }] of items.entries()) {
    const sealed = sealPayload(shareId, path, payload, ck);
    inFlight.push(
      signMessageAsync(signer.key, SIGN_DOMAIN, signedParts(shareId, path, signer.deviceId, ck.version, sealed)).then((sig) => {
        out[i] = Buffer.concat([header(signer.deviceId, ck.version, sig), sealed]);
      }),
    );
    if (inFlight.length >= 512) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return out;
}

/**
 * Why a record file was refused. `stale-key`: sealed under another member-list version than the current one (a
 * replayed file from before a member change, or a removed member writing with the key they still hold).
 */
export type { RecordRejection } from '../../../shared/ipc/share-channels';
import type { RecordRejection } from '../../../shared/ipc/share-channels';

export type DecodedRecord = { ok: true; author: string; payload: RecordPayload } | { ok: false; reason: RecordRejection };

/** Verify, decrypt and check a record file against its path. Never throws for bad input: it says why. */
export function decodeRecord(shareId: string, path: string, file: Buffer, signingKeys: ReadonlyMap<string, string>, ck: ContentKey): DecodedRecord {
  const head = parseEnvelope(file, signingKeys);
  if (!head.ok) return head;
  if (!verifyMessage(head.key, head.sig, SIGN_DOMAIN, signedParts(shareId, path, head.author, head.version, head.sealed))) return { ok: false, reason: 'bad-signature' };
  if (head.version !== ck.version) return { ok: false, reason: 'stale-key' };
  const opened = openPayload(shareId, path, head.sealed, ck);
  return opened.ok ? { ok: true, author: head.author, payload: opened.payload } : opened;
}

/**
 * Many records at once: WebCrypto verifies while this thread decrypts. A file is decrypted before its signature is
 * known, but nothing of it is used unless the signature verified (GCM authenticates what it decrypts; the payload is
 * only parsed, never acted on).
 */
export async function decodeRecords(shareId: string, items: readonly { path: string; file: Buffer }[], signingKeys: ReadonlyMap<string, string>, ck: ContentKey): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = new Array<DecodedRecord>(items.length);
  const inFlight: Promise<void>[] = [];
  for (const [i, { path, file }] of items.entries()) {
    const head = parseEnvelope(file, signingKeys);
    if (!head.ok) {
      out[i] = head;
      continue;
    }
    const opened: Opened =
      head.version !== ck.version ? { ok: false, reason: 'stale-key' } : openPayload(shareId, path, head.sealed, ck);
    inFlight.push(
      verifyMessageAsync(head.key, head.sig, SIGN_DOMAIN, signedParts(shareId, path, head.author, head.version, head.sealed)).then((valid) => {
        out[i] = !valid ? { ok: false, reason: 'bad-signature' } : opened.ok ? { ok: true, author: head.author, payload: opened.payload } : opened;
      }),
    );
    if (inFlight.length >= 512) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return out;
}

function parseEnvelope(
  file: Buffer,
  signingKeys: ReadonlyMap<string, string>,
): { ok: true; author: string; version: number; sig: string; key: string; sealed: Buffer } | { ok: false; reason: RecordRejection } {
  const nl = file.indexOf(0x0a);
  if (nl < 0 || nl > 200) return { ok: false, reason: 'malformed' };
  const [magic, author = '', version = '', sig = '', ...rest] = file.toString('latin1', 0, nl).split(' ');
  if (magic !== MAGIC || rest.length > 0 || !/^[1-9][0-9]{0,8}$/.test(version)) return { ok: false, reason: 'malformed' };
  const key = signingKeys.get(author);
  if (!key) return { ok: false, reason: 'unknown-signer' };
  const sealed = file.subarray(nl + 1);
  if (sealed.length < NONCE + TAG) return { ok: false, reason: 'malformed' };
  return { ok: true, author, version: Number(version), sig, key, sealed };
}

type Opened = { ok: true; payload: RecordPayload } | { ok: false; reason: RecordRejection };

function openPayload(shareId: string, path: string, sealed: Buffer, ck: ContentKey): Opened {
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', ck.key, sealed.subarray(0, NONCE), { authTagLength: TAG });
    d.setAAD(sealAad(shareId, path, ck.version));
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    plain = d.update(sealed.subarray(NONCE, sealed.length - TAG));
    d.final();
  } catch {
    // Signed by a member yet not sealed under the key the member list gives: altered, or written wrongly.
    return { ok: false, reason: 'bad-payload' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad-payload' };
  }
  const payload = payloadSchema.safeParse(parsed);
  if (!payload.success) return { ok: false, reason: 'bad-payload' };
  if (recordPath(shareId, payload.data.id) !== path) return { ok: false, reason: 'wrong-id' };
  return { ok: true, payload: payload.data as RecordPayload };
}

/** Git's blob id of a file (SHA-1 object format), computed here so writing needs no extra git process per file. */
export const gitBlobId = (data: Uint8Array): string =>
  createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
