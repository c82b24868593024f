import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { AppFailure } from '../../errors';

/** scrypt parameters stored with the vault. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  /** Bytes of memory the derivation may use (Node's maxmem). */
  maxmem: number;
}

/**
 * AES-256-GCM envelope: [version 1][nonce 12][tag 16][ciphertext]. The AAD names the table, row and field, so a
 * ciphertext copied to another row or field fails to open.
 */
const VERSION = 1;
const NONCE = 12;
const TAG = 16;
const HEADER = 1 + NONCE + TAG;

export const aad = (table: string, rowId: string | number, field: string): Buffer =>
  Buffer.from(`${table}\u0000${rowId}\u0000${field}`, 'utf8');

export function seal(key: Buffer, plaintext: Buffer, ad: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(ad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  const out = Buffer.allocUnsafe(HEADER + body.length + final.length);
  out[0] = VERSION;
  nonce.copy(out, 1);
  cipher.getAuthTag().copy(out, 1 + NONCE);
  body.copy(out, HEADER);
  final.copy(out, HEADER + body.length);
  return out;
}

/** Opens a sealed blob; any change to it, its AAD or the key is an AppFailure('vault-tampered'). */
export function open(key: Buffer, sealed: Uint8Array, ad: Buffer, what = 'A record'): Buffer {
  const buf = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < HEADER || buf[0] !== VERSION) throw tampered(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + NONCE));
    decipher.setAAD(ad);
    decipher.setAuthTag(buf.subarray(1 + NONCE, HEADER));
    const body = decipher.update(buf.subarray(HEADER));
    const final = decipher.final();
    return final.length ? Buffer.concat([body, final]) : body;
  } catch {
    throw tampered(what);
  }
}

const tampered = (what: string) =>
  new AppFailure(
    'vault-tampered',
    `${what} in the vault failed its integrity check: the file was changed outside Token Vault. Restore it from a backup.`,
  );

export const sealText = (key: Buffer, text: string, ad: Buffer): Buffer => seal(key, Buffer.from(text, 'utf8'), ad);
export const openText = (key: Buffer, sealed: Uint8Array, ad: Buffer, what?: string): string =>
  open(key, sealed, ad, what).toString('utf8');

/** Wrapping the data key: the same envelope, with an AAD naming the vault and the slot. */
export function tryUnwrap(kek: Buffer, wrapped: Uint8Array, ad: Buffer): Buffer | null {
  try {
    return open(kek, wrapped, ad);
  } catch {
    return null;
  }
}

export function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 32, params, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Memory stays modest (32 MiB at N=2^15, r=8) so the command line's peak memory stays low; p buys the time. */
export const DEFAULT_SCRYPT_BASE = { N: 2 ** 15, r: 8 } as const;

/** Chooses p so that one derivation takes about `targetMs` on this machine (~250-500 ms). */
export async function calibrateScrypt(targetMs = 300): Promise<ScryptParams> {
  const { N, r } = DEFAULT_SCRYPT_BASE;
  const maxmem = 128 * N * r * 2;
  const salt = randomBytes(16);
  const t0 = performance.now();
  await deriveKey('calibration', salt, { N, r, p: 1, maxmem });
  const one = Math.max(1, performance.now() - t0);
  const p = Math.min(64, Math.max(1, Math.round(targetMs / one)));
  return { N, r, p, maxmem };
}

/** Cheap parameters for tests and benchmarks that must not measure the KDF. Never the default. */
export const CHEAP_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };

export function wipe(buf: Buffer | null | undefined): void {
  if (buf) buf.fill(0);
}
