import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { AppFailure } from '../../errors';

/** scrypt parameters stored with the vault. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  /** Ignored: the memory a derivation may use is computed from N, r and p (never trusted from a file). */
  maxmem?: number;
}

/**
 * The weakest scrypt parameters the vault accepts, in a file it reads and for a slot it writes: a file edited to
 * N=2 would otherwise make every guess free, and the next password change would keep the weak parameters.
 */
export const KDF_FLOOR = { N: 2 ** 15, r: 8, p: 1 } as const;
/** The strongest it runs: past these one derivation takes minutes or more memory than a desktop has. */
const KDF_CEILING = { N: 2 ** 20, r: 32, p: 64, memory: 1024 * 1024 * 1024 } as const;

/** Why these parameters are outside what the vault accepts, or null when they are fine. */
export function kdfProblem(k: { N?: unknown; r?: unknown; p?: unknown }): string | null {
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  if (!int(k.N) || !int(k.r) || !int(k.p)) return 'missing or not whole numbers';
  if ((k.N & (k.N - 1)) !== 0) return 'N is not a power of two';
  if (k.N < KDF_FLOOR.N || k.r < KDF_FLOOR.r || k.p < KDF_FLOOR.p) return `below the minimum (N ${KDF_FLOOR.N}, r ${KDF_FLOOR.r}, p ${KDF_FLOOR.p})`;
  if (k.N > KDF_CEILING.N || k.r > KDF_CEILING.r || k.p > KDF_CEILING.p || 128 * k.N * k.r > KDF_CEILING.memory) return 'above the maximum';
  return null;
}

/** The memory scrypt needs for these parameters, with room to spare (Node refuses a derivation above maxmem). */
export const scryptMaxmem = (k: ScryptParams) => 128 * k.N * k.r * 2 + 128 * k.r * k.p + 1024 * 1024;

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

// Fresh random nonces, drawn from the system's random source 341 at a time: one call per nonce cost an import of
// 10,000 tokens a tenth of its sealing time. Nonces are public (each is written beside its ciphertext).
const NONCES_PER_DRAW = 341;
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
function freshNonce(): Buffer {
  if (nonceAt + NONCE > noncePool.length) {
    noncePool = randomBytes(NONCE * NONCES_PER_DRAW);
    nonceAt = 0;
  }
  const nonce = noncePool.subarray(nonceAt, nonceAt + NONCE);
  nonceAt += NONCE;
  return nonce;
}

export function seal(key: Buffer, plaintext: Buffer, ad: Buffer): Buffer {
  const nonce = freshNonce();
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

/** The key-encryption key for a password. The caller has checked the parameters (kdfProblem). */
export function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: scryptMaxmem(params) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Chooses p so that one derivation takes about `targetMs` on this machine (~250-500 ms); N and r stay at the floor,
 * so memory stays modest (32 MiB) and the command line's peak memory low; p buys the time. */
export async function calibrateScrypt(targetMs = 300): Promise<ScryptParams> {
  const { N, r } = KDF_FLOOR;
  const salt = randomBytes(16);
  const t0 = performance.now();
  await deriveKey('calibration', salt, { N, r, p: 1 });
  const one = Math.max(1, performance.now() - t0);
  const p = Math.min(KDF_CEILING.p, Math.max(1, Math.round(targetMs / one)));
  return { N, r, p };
}

/** The cheapest parameters the vault accepts (the floors): for tests and benchmarks that must not time the KDF. */
export const CHEAP_SCRYPT: ScryptParams = { ...KDF_FLOOR };

export function wipe(buf: Buffer | null | undefined): void {
  if (buf) buf.fill(0);
}
