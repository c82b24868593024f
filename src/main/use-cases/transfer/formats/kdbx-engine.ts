import { createCipheriv, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as HashWasm from 'hash-wasm';
import type * as KdbxWeb from 'kdbxweb';
import { AppFailure } from '../../../errors';

// Both libraries are CommonJS bundles (kdbxweb 320 KB, hash-wasm's every-algorithm index 280 KB). Through `import`,
// Node's ESM loader first scans each one for its export names before running it; through require it only runs them.
// That scan and the unused algorithms were a twentieth of a whole KDBX import. Argon2 alone is loaded, and only when a
// database uses it (keepassxc-cli's own import writes AES-KDF).
const requireCjs = createRequire(import.meta.url);
const kdbxweb = requireCjs('kdbxweb') as typeof KdbxWeb;
type Argon2 = Pick<typeof HashWasm, 'argon2d' | 'argon2id'>;
let argon2: Argon2 | null = null;
const loadArgon2 = (): Argon2 => (argon2 ??= requireCjs('hash-wasm/dist/argon2.umd.min.js') as Argon2);

/**
 * The KDBX 4 container through kdbxweb's own primitives: header, key derivation (AES-KDF, Argon2d/id through
 * hash-wasm's WebAssembly Argon2), header hash and HMAC, the HMAC block stream, AES-256-CBC / ChaCha20, and the inner
 * header with its protected-value stream. Only the XML document inside is ours (kdbx-xml-*.ts): kdbxweb builds a
 * DOM of it with @xmldom, which takes ~3 s and ~400 MB for 10,000 entries, where a streaming pass takes ~0.3 s.
 * KDBX 3.1 files go through kdbxweb's whole model instead (kdbx-reader.ts).
 */
export { kdbxweb };

let argon2Installed = false;

/** kdbxweb ships no Argon2: hand it hash-wasm's (no native code, no install script). */
export function installArgon2(): void {
  if (argon2Installed) return;
  argon2Installed = true;
  kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
    if (version !== 0x13) throw new AppFailure('unsupported', 'This KeePass database uses Argon2 version 1.0, which Token Vault cannot open.');
    const { argon2d, argon2id } = loadArgon2();
    const hash = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2id : argon2d;
    const out = await hash({
      password: new Uint8Array(password),
      salt: new Uint8Array(salt),
      memorySize: memory,
      iterations,
      hashLength: length,
      parallelism,
      outputType: 'binary',
    });
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  });
}

export const KDF = { argon2id: kdbxweb.Consts.KdfId.Argon2id, argon2d: kdbxweb.Consts.KdfId.Argon2d, aes: kdbxweb.Consts.KdfId.Aes } as const;
export const CIPHER = { aes: kdbxweb.Consts.CipherId.Aes, chacha20: kdbxweb.Consts.CipherId.ChaCha20 } as const;

export interface KdbxKeys {
  cipherKey: ArrayBuffer;
  hmacKey: ArrayBuffer;
  /** Milliseconds spent in the key derivation function alone. */
  kdfMs: number;
}

export const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export const zero = (b: ArrayBuffer | Uint8Array | undefined | null): void => {
  if (b) (b instanceof Uint8Array ? b : new Uint8Array(b)).fill(0);
};

/** The KDBX 4 keys: SHA-256(seed || KDF(credentials)) for the cipher, SHA-512(seed || KDF || 1) for the HMACs. */
export async function computeKeys(header: KdbxWeb.KdbxHeader, credentials: KdbxWeb.KdbxCredentials): Promise<KdbxKeys> {
  const seed = header.masterSeed;
  const params = header.kdfParameters;
  const salt = params?.get('S');
  if (!seed || seed.byteLength !== 32 || !params || !(salt instanceof ArrayBuffer)) throw damaged('its header is incomplete');
  const credentialHash = await credentials.getHash(salt);
  const t0 = performance.now();
  let derived: ArrayBuffer;
  try {
    derived = await kdbxweb.KeyEncryptorKdf.encrypt(credentialHash, params);
  } finally {
    zero(credentialHash);
  }
  const kdfMs = performance.now() - t0;
  if (derived.byteLength !== 32) throw damaged('its key derivation gave a key of the wrong size');
  const withSeed = new Uint8Array(65);
  withSeed.set(new Uint8Array(seed), 0);
  withSeed.set(new Uint8Array(derived), 32);
  withSeed[64] = 1;
  zero(derived);
  try {
    const [cipherKey, hmacKey] = await Promise.all([
      kdbxweb.CryptoEngine.sha256(withSeed.buffer.slice(0, 64)),
      kdbxweb.CryptoEngine.sha512(withSeed.buffer),
    ]);
    return { cipherKey, hmacKey, kdfMs };
  } finally {
    zero(withSeed);
  }
}

/**
 * The inner stream that hides protected values (passwords), applied to each value's bytes in document order; it
 * returns fresh bytes (the caller wipes both). KDBX 4 writes ChaCha20 keyed by SHA-512 of the inner header's key:
 * that runs as ONE native cipher over all the values (kdbxweb's is JavaScript, a call per value). Salsa20 (older
 * writers) goes through kdbxweb's.
 */
export async function protectedStream(streamKey: ArrayBuffer, algorithm: number): Promise<(bytes: Buffer) => Buffer> {
  if (algorithm === kdbxweb.Consts.CrsAlgorithm.ChaCha20) {
    const hash = createHash('sha512').update(new Uint8Array(streamKey)).digest();
    // OpenSSL's ChaCha20 IV: a 32-bit little-endian block counter (0, as KeePass starts) then the 96-bit nonce.
    const iv = Buffer.alloc(16);
    hash.copy(iv, 4, 32, 44);
    const cipher = createCipheriv('chacha20', hash.subarray(0, 32), iv);
    hash.fill(0);
    return (bytes) => cipher.update(bytes);
  }
  const salts = await kdbxweb.ProtectSaltGenerator.create(streamKey, algorithm);
  return (bytes) => {
    const salt = new Uint8Array(salts.getSalt(bytes.length));
    const out = Buffer.allocUnsafe(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] ?? 0) ^ (salt[i] ?? 0);
    salt.fill(0);
    return out;
  };
}

export async function headerHmac(headerBytes: ArrayBuffer, hmacKey: ArrayBuffer): Promise<ArrayBuffer> {
  const key = await kdbxweb.HmacBlockTransform.getHmacKey(hmacKey, new kdbxweb.Int64(0xffffffff, 0xffffffff));
  try {
    return await kdbxweb.CryptoEngine.hmacSha256(key, headerBytes);
  } finally {
    zero(key);
  }
}

/** The payload cipher named in the header: AES-256-CBC or ChaCha20. */
export async function transformPayload(header: KdbxWeb.KdbxHeader, data: ArrayBuffer, cipherKey: ArrayBuffer, encrypt: boolean): Promise<ArrayBuffer> {
  const iv = header.encryptionIV;
  if (!iv) throw damaged('its header has no IV');
  switch (header.dataCipherUuid?.toString()) {
    case kdbxweb.Consts.CipherId.Aes: {
      const aes = kdbxweb.CryptoEngine.createAesCbc();
      await aes.importKey(cipherKey);
      return encrypt ? aes.encrypt(data, iv) : aes.decrypt(data, iv);
    }
    case kdbxweb.Consts.CipherId.ChaCha20:
      return kdbxweb.CryptoEngine.chacha20(data, cipherKey, iv);
    default:
      throw new AppFailure('unsupported', 'This KeePass database uses a cipher Token Vault cannot open (only AES-256 and ChaCha20).');
  }
}

export const damaged = (why: string) =>
  new AppFailure('invalid-argument', `The KeePass file is damaged or not a KeePass database (${why}). Nothing was imported.`);

export const wrongKdbxPassword = () =>
  new AppFailure(
    'wrong-password',
    'The KeePass database did not open: wrong password (or it also needs a key file, which Token Vault does not read). Nothing was imported.',
  );

/** kdbxweb's errors become ours; anything else passes through. */
export function translateKdbxError(error: unknown): unknown {
  if (error instanceof AppFailure) return error;
  // A file cut short makes kdbxweb's stream readers run past the end (RangeError) or read garbage (TypeError).
  if (!(error instanceof kdbxweb.KdbxError)) return damaged('it is cut short or does not parse');
  switch (error.code) {
    case kdbxweb.Consts.ErrorCodes.InvalidKey:
      return wrongKdbxPassword();
    case kdbxweb.Consts.ErrorCodes.Unsupported:
    case kdbxweb.Consts.ErrorCodes.InvalidVersion:
      return new AppFailure('unsupported', 'This KeePass file uses a format version or feature Token Vault cannot open. Nothing was imported.');
    default:
      return damaged('it does not decrypt or parse');
  }
}
