import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ageDecrypt, ageEncrypt, AgeFormatError, type AgeIdentity, type AgeRecipient } from './age-x25519';
import { SHARED_RECORD_KINDS, type HistoryEntry } from './sharing-port';
import { sha256Hex, signMessage, signMessageAsync, verifyMessage, verifyMessageAsync } from './share-signing';
import { isStamp } from './version-stamp';
import type { KeyObject } from 'node:crypto';

/**
 * One record = one file in the repository:
 *
 *   tvrec1 <author device id> <Ed25519 signature, base64>\n
 *   <age file, encrypted to every current member>
 *
 * The signature covers the share id, the file path, the author and the SHA-256 of the age bytes. The path is
 * derived from the share id and the record id (SHA-256, so it looks random and says nothing), and the record id is
 * inside the encrypted payload: a file moved to another path fails its signature, and a payload carrying another id
 * than its path fails the id check after decryption. Deriving the path (rather than drawing it) also means a crash
 * between a push and the local bookkeeping can never leave two files for one record.
 *
 * The payload is padded to a multiple of 256 bytes so sizes say little about what a record holds.
 */

const MAGIC = 'tvrec1';
const SIGN_DOMAIN = 'tokenvault share record v1';
const PAD = 256;
export const HISTORY_LIMIT = 20;
export const RECORDS_DIR = 'records/';

export function recordPath(shareId: string, recordId: string): string {
  const h = sha256Hex(`tokenvault share record\0${shareId}\0${recordId}`).slice(0, 32);
  return `${RECORDS_DIR}${h.slice(0, 2)}/${h.slice(2)}`;
}

const stampSchema = z.string().refine(isStamp, 'not a version stamp');
const historyEntrySchema = z.object({
  field: z.string().max(100),
  value: z.unknown(),
  at: z.string().max(40),
  by: z.string().max(100),
  stamp: stampSchema,
});

const payloadSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(100),
  kind: z.enum(SHARED_RECORD_KINDS),
  /** Per-field value and stamp. Empty for a deleted record (a tombstone keeps nothing). */
  fields: z.record(z.string().max(100), z.object({ v: z.unknown(), s: stampSchema })),
  /** Secret candidates: one normally, two or more while the record shows "two secrets: pick one". */
  secret: z.array(z.object({ v: z.string().max(100_000).nullable(), s: stampSchema })).max(16),
  deleted: z.object({ v: z.boolean(), s: stampSchema }),
  history: z.array(historyEntrySchema).max(HISTORY_LIMIT),
});

export type RecordPayload = z.infer<typeof payloadSchema> & { history: HistoryEntry[] };

export interface RecordSigner {
  deviceId: string;
  key: KeyObject;
}

/** Pads, encrypts to every recipient, signs. */
export function encodeRecord(shareId: string, path: string, payload: RecordPayload, signer: RecordSigner, recipients: readonly AgeRecipient[]): Buffer {
  const json = JSON.stringify(payload);
  const padded = json + ' '.repeat((PAD - (Buffer.byteLength(json) % PAD)) % PAD);
  const age = ageEncrypt(Buffer.from(padded, 'utf8'), recipients);
  const sig = signMessage(signer.key, SIGN_DOMAIN, [shareId, path, signer.deviceId, sha256Hex(age)]);
  return Buffer.concat([Buffer.from(`${MAGIC} ${signer.deviceId} ${sig}\n`, 'latin1'), age]);
}

/**
 * Many records at once: this thread pads and encrypts while WebCrypto signs on the thread pool. Bounded in flight so
 * memory stays flat at 10,000 records.
 */
export async function encodeRecords(shareId: string, items: readonly { path: string; payload: RecordPayload }[], signer: RecordSigner, recipients: readonly AgeRecipient[]): Promise<Buffer[]> {
  const out: Buffer[] = new Array<Buffer>(items.length);
  const inFlight: Promise<void>[] = [];
  for (const [i, { path, payload }] of items.entries()) {
    const json = JSON.stringify(payload);
    const padded = json + ' '.repeat((PAD - (Buffer.byteLength(json) % PAD)) % PAD);
    const age = ageEncrypt(Buffer.from(padded, 'utf8'), recipients);
    inFlight.push(
      signMessageAsync(signer.key, SIGN_DOMAIN, [shareId, path, signer.deviceId, sha256Hex(age)]).then((sig) => {
        out[i] = Buffer.concat([Buffer.from(`${MAGIC} ${signer.deviceId} ${sig}\n`, 'latin1'), age]);
      }),
    );
    if (inFlight.length >= 512) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return out;
}

export type RecordRejection = 'malformed' | 'unknown-signer' | 'bad-signature' | 'not-addressed' | 'bad-payload' | 'wrong-id';

export type DecodedRecord = { ok: true; author: string; payload: RecordPayload } | { ok: false; reason: RecordRejection };

/** Who signed a record file, if it is well formed and signed by someone in `signingKeys` (device id -> key). */
export function verifyRecord(shareId: string, path: string, file: Buffer, signingKeys: ReadonlyMap<string, string>): { ok: true; author: string; age: Buffer } | { ok: false; reason: RecordRejection } {
  const head = parseEnvelope(file, signingKeys);
  if (!head.ok) return head;
  if (!verifyMessage(head.key, head.sig, SIGN_DOMAIN, [shareId, path, head.author, sha256Hex(head.age)])) return { ok: false, reason: 'bad-signature' };
  return { ok: true, author: head.author, age: head.age };
}

/** Verify, decrypt and check a record file against its path. Never throws for bad input: it says why. */
export function decodeRecord(shareId: string, path: string, file: Buffer, signingKeys: ReadonlyMap<string, string>, identity: AgeIdentity): DecodedRecord {
  const verified = verifyRecord(shareId, path, file, signingKeys);
  if (!verified.ok) return verified;
  const opened = openPayload(shareId, path, verified.age, identity);
  return opened.ok ? { ok: true, author: verified.author, payload: opened.payload } : opened;
}

/**
 * Many records at once: WebCrypto verifies on the thread pool while this thread decrypts. A file is decrypted before
 * its signature is known, but nothing of it is used unless the signature verified (age authenticates what it
 * decrypts; the payload is only parsed, never acted on).
 */
export async function decodeRecords(shareId: string, items: readonly { path: string; file: Buffer }[], signingKeys: ReadonlyMap<string, string>, identity: AgeIdentity): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = new Array<DecodedRecord>(items.length);
  const inFlight: Promise<void>[] = [];
  for (const [i, { path, file }] of items.entries()) {
    const head = parseEnvelope(file, signingKeys);
    if (!head.ok) {
      out[i] = head;
      continue;
    }
    const opened = openPayload(shareId, path, head.age, identity);
    inFlight.push(
      verifyMessageAsync(head.key, head.sig, SIGN_DOMAIN, [shareId, path, head.author, sha256Hex(head.age)]).then((valid) => {
        out[i] = !valid ? { ok: false, reason: 'bad-signature' } : opened.ok ? { ok: true, author: head.author, payload: opened.payload } : opened;
      }),
    );
    if (inFlight.length >= 512) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  return out;
}

function parseEnvelope(file: Buffer, signingKeys: ReadonlyMap<string, string>): { ok: true; author: string; sig: string; key: string; age: Buffer } | { ok: false; reason: RecordRejection } {
  const nl = file.indexOf(0x0a);
  if (nl < 0 || nl > 200) return { ok: false, reason: 'malformed' };
  const [magic, author = '', sig = '', ...rest] = file.toString('latin1', 0, nl).split(' ');
  if (magic !== MAGIC || rest.length > 0) return { ok: false, reason: 'malformed' };
  const key = signingKeys.get(author);
  if (!key) return { ok: false, reason: 'unknown-signer' };
  return { ok: true, author, sig, key, age: file.subarray(nl + 1) };
}

function openPayload(shareId: string, path: string, age: Buffer, identity: AgeIdentity): { ok: true; payload: RecordPayload } | { ok: false; reason: RecordRejection } {
  let plain: Buffer | null;
  try {
    plain = ageDecrypt(age, identity);
  } catch (error) {
    if (error instanceof AgeFormatError) return { ok: false, reason: 'malformed' };
    throw error;
  }
  if (!plain) return { ok: false, reason: 'not-addressed' };
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
