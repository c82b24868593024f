import { createHash, sign, verify, type KeyObject } from 'node:crypto';
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

/** domain \n part \n part ...: parts are ids, paths, hashes (no newlines), or bytes last. */
function message(domain: string, parts: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat([Buffer.from(domain, 'utf8'), ...parts.flatMap((p) => [Buffer.from('\n'), typeof p === 'string' ? Buffer.from(p, 'utf8') : p])]);
}
