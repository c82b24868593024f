import { createHmac, hkdfSync } from 'node:crypto';

/**
 * The one canonical text of a row's values, for MACs and comparisons: each value typed and length-prefixed, so two
 * different lists never share a text (a NULL and the text "NULL", "a,b" + "c" and "a" + "b,c" all differ).
 * Values are what SQLite hands back: text, integers, blobs, NULL.
 */
export function canonRow(values: readonly unknown[]): string {
  let out = '';
  for (const v of values) {
    if (v === null || v === undefined) out += 'n;';
    else if (typeof v === 'string') out += `s${v.length}:${v}`;
    else if (typeof v === 'number' || typeof v === 'bigint') out += `i${v};`;
    else if (v instanceof Uint8Array) {
      const b64 = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      out += `b${b64.length}:${b64}`;
    } else throw new TypeError('canonRow takes SQL values only');
  }
  return out;
}

/** HMAC-SHA256 of a table name and a row's canonical text. */
export const macOf = (key: Buffer, table: string, canon: string): Buffer => createHmac('sha256', key).update(table).update('\u0000').update(canon).digest();

/** The keys derived from the data key, one per purpose, so no key serves two uses. */
export interface DerivedKeys {
  /** Row MACs (row-auth.ts). */
  rows: Buffer;
  /** The audit chain. */
  audit: Buffer;
  /** Keyed lookup hashes kept in clear columns (a token's remote id). */
  lookup: Buffer;
  /** Names the data key in `meta` (not secret): another process notices a re-key by it. */
  id: string;
}

const derive = (dataKey: Buffer, purpose: string, bytes = 32) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `token-vault ${purpose}`, bytes));

export function deriveKeys(dataKey: Buffer): DerivedKeys {
  return { rows: derive(dataKey, 'row mac'), audit: derive(dataKey, 'audit chain'), lookup: derive(dataKey, 'lookup'), id: derive(dataKey, 'key id', 16).toString('hex') };
}

/** A keyed hash for a clear lookup column: equal inputs match, nothing about them can be read from it. */
export const lookupRef = (key: Buffer, ...parts: string[]): string => createHmac('sha256', key).update(canonRow(parts)).digest('base64url').slice(0, 22);
