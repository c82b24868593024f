/**
 * The byte strings a secret shows up as, besides itself. `run` masks them all in a child's output and `scan` looks
 * for them on disk, because a token is often written encoded:
 *   - base64 and base64url, at each of the three alignments it can have inside a longer encoded string (HTTP Basic
 *     `Authorization` headers that `curl -v` prints, Docker's `auths.*.auth` = base64(user:secret)): only the
 *     characters fully determined by the secret's own bits, so the neighbours do not matter;
 *   - percent-encoding (a URL or form body) and a JSON string's escaping, when they differ from the secret.
 * Secrets shorter than MIN_ENCODED_LENGTH get no base64 forms: a few base64 characters would match too much.
 * Hex and other encodings are left out: rarely printed, and each costs every scan.
 */

import type { SecretEncoding } from '../../../shared/scan';

export { SECRET_ENCODINGS, type SecretEncoding } from '../../../shared/scan';

export const MIN_ENCODED_LENGTH = 8;

export interface EncodedForm {
  encoding: SecretEncoding;
  bytes: Buffer;
}

/** The exact bytes first, then each distinct encoded form. */
export function encodedForms(secret: string): EncodedForm[] {
  const exact = Buffer.from(secret, 'utf8');
  const out: EncodedForm[] = [{ encoding: 'exact', bytes: exact }];
  if (exact.length === 0) return out;
  const seen = new Set<string>([secret]);
  const add = (encoding: SecretEncoding, text: string) => {
    if (text.length === 0 || seen.has(text)) return;
    seen.add(text);
    out.push({ encoding, bytes: Buffer.from(text, 'utf8') });
  };
  if (exact.length >= MIN_ENCODED_LENGTH) {
    for (const alphabet of ['base64', 'base64url'] as const) {
      for (let k = 0; k < 3; k++) {
        // k unknown bytes before the secret: characters before ceil(8k/6) mix in their bits, and after
        // floor(8(k+n)/6) those of whatever follows.
        const full = Buffer.concat([Buffer.alloc(k), exact]).toString(alphabet).replace(/=+$/, '');
        add(alphabet, full.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + exact.length)) / 6)));
      }
    }
  }
  add('url', encodeURIComponent(secret));
  add('json', JSON.stringify(secret).slice(1, -1));
  return out;
}
