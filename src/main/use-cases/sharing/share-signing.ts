import { createHash, sign, subtle, verify, type KeyObject } from 'node:crypto';
import { ed25519PublicKey } from './device-identity';

/**
 * Ed25519 through Node's own crypto (OpenSSL): no library needed for signatures. Every signed message starts with a
 * domain line naming what it is, so a signature made for a record can never pass as one for a member list.
 */

export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export function signMessage(key: KeyObject, domain: string, parts: readonly (string | Uint8Array)[]): string {
  return sign(null, message(domain, parts), key).toString('base64');
}

const keyCache = new Map<string, KeyObject>();
function publicKey(signingKey: string): KeyObject {
  let k = keyCache.get(signingKey);
  if (!k) {
    k = ed25519PublicKey(Buffer.from(signingKey, 'base64url'));
    keyCache.set(signingKey, k);
  }
  return k;
}

export function verifyMessage(signingKey: string, signature: string, domain: string, parts: readonly (string | Uint8Array)[]): boolean {
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signature) return false;
  try {
    return verify(null, message(domain, parts), publicKey(signingKey), sig);
  } catch {
    return false;
  }
}

/**
 * The same signatures through WebCrypto, which runs them on libuv's thread pool: a batch of 10,000 records signs
 * or verifies on the other core while this thread encrypts or decrypts.
 */
const cryptoKeys = new WeakMap<KeyObject, CryptoKey>();
export function signMessageAsync(key: KeyObject, domain: string, parts: readonly (string | Uint8Array)[]): Promise<string> {
  let ck = cryptoKeys.get(key);
  if (!ck) {
    ck = key.toCryptoKey('Ed25519', false, ['sign']);
    cryptoKeys.set(key, ck);
  }
  return subtle.sign('Ed25519', ck, message(domain, parts)).then((sig) => Buffer.from(sig).toString('base64'));
}

const verifyKeys = new Map<string, CryptoKey>();
export async function verifyMessageAsync(signingKey: string, signature: string, domain: string, parts: readonly (string | Uint8Array)[]): Promise<boolean> {
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signature) return false;
  let ck = verifyKeys.get(signingKey);
  if (!ck) {
    try {
      ck = publicKey(signingKey).toCryptoKey('Ed25519', false, ['verify']);
    } catch {
      return false;
    }
    verifyKeys.set(signingKey, ck);
  }
  try {
    return await subtle.verify('Ed25519', ck, sig, message(domain, parts));
  } catch {
    return false;
  }
}

/** domain \n part \n part ...: parts are ids, paths, hashes (no newlines), or bytes last. */
function message(domain: string, parts: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat([Buffer.from(domain, 'utf8'), ...parts.flatMap((p) => [Buffer.from('\n'), typeof p === 'string' ? Buffer.from(p, 'utf8') : p])]);
}
