import { AppFailure } from '../../errors';

/**
 * libsodium's sealed box (crypto_box_seal: an ephemeral X25519 key, XSalsa20-Poly1305), which GitHub requires for
 * Actions secrets: base64(seal(utf8(value), base64decode(public key))). libsodium-wrappers carries libsodium compiled
 * to WebAssembly inside its npm package, so nothing is built or downloaded. Loaded here, at the first seal: compiling
 * and starting it costs a process tens of milliseconds and a large heap.
 */
export async function sealTo(publicKeyBase64: string, value: string): Promise<string> {
  const { default: sodium } = await import('libsodium-wrappers');
  await sodium.ready;
  let key: Uint8Array;
  try {
    key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  } catch {
    key = new Uint8Array(0);
  }
  if (key.length !== sodium.crypto_box_PUBLICKEYBYTES) {
    throw new AppFailure('unexpected-response', 'The service sent a public key that is not a 32-byte Curve25519 key; nothing was written.');
  }
  return sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(value), key), sodium.base64_variants.ORIGINAL);
}
