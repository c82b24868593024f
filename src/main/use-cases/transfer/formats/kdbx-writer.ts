import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  CIPHER,
  computeKeys,
  headerHmac,
  installArgon2,
  KDF,
  kdbxweb,
  protectedStream,
  toArrayBuffer,
  transformPayload,
  zero,
} from './kdbx-engine';

/** One KeePass entry to write: what a token becomes (see the mapping in transfer-types.ts). */
export interface KdbxEntryOut {
  /** The token id: a UUID becomes the entry's UUID, so exporting twice gives the same entries. */
  id: string;
  title: string;
  username: string | null;
  password: string | null;
  url: string | null;
  notes: string | null;
  tags: string[];
  createdAt: string;
  expiresAt: string | null;
  /** Extra string fields (e.g. "Token Vault status" for a revoked token). */
  extra: [string, string][];
}

export interface KdbxGroupOut {
  /** The workspace id: a UUID becomes the group's UUID. */
  id: string;
  name: string;
  entries: KdbxEntryOut[];
}

export interface KdbxWriteOptions {
  kdf: 'argon2id' | 'argon2d' | 'aes';
  /** Argon2: memory in KiB, iterations, lanes. AES-KDF: rounds. */
  memoryKiB?: number;
  iterations?: number;
  parallelism?: number;
  rounds?: number;
  cipher?: 'aes' | 'chacha20';
}

/**
 * The default for an export: Argon2id with 64 MiB and 5 passes over 2 lanes (~0.3 s in KeePassXC, ~0.8 s in
 * hash-wasm here), AES-256. Comparable to what KeePassXC itself picks for a new database.
 */
export const DEFAULT_KDBX_OPTIONS: KdbxWriteOptions = { kdf: 'argon2id', memoryKiB: 64 * 1024, iterations: 5, parallelism: 2, cipher: 'aes' };

/** Writes a KDBX 4.0 database (KeePassXC 2.7 reads it) with one group per workspace under the root group. */
export async function writeKdbx(
  groups: KdbxGroupOut[],
  password: string,
  options: KdbxWriteOptions = DEFAULT_KDBX_OPTIONS,
): Promise<{ bytes: Buffer; kdfMs: number }> {
  installArgon2();
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
  const kdbx = kdbxweb.Kdbx.create(credentials, 'Token Vault');
  const ctx = new kdbxweb.KdbxContext({ kdbx });
  const header = kdbx.header;
  header.dataCipherUuid = new kdbxweb.KdbxUuid(options.cipher === 'chacha20' ? CIPHER.chacha20 : CIPHER.aes);
  header.setKdf(KDF[options.kdf]);
  const params = header.kdfParameters;
  if (!params) throw new Error('kdbxweb gave no KDF parameters');
  const { UInt32, UInt64 } = kdbxweb.VarDictionary.ValueType;
  if (options.kdf === 'aes') params.set('R', UInt64, kdbxweb.Int64.from(options.rounds ?? 1_000_000));
  else {
    params.set('M', UInt64, kdbxweb.Int64.from((options.memoryKiB ?? 65536) * 1024));
    params.set('I', UInt64, kdbxweb.Int64.from(options.iterations ?? 5));
    params.set('P', UInt32, options.parallelism ?? 2);
  }
  header.generateSalts();
  const stm = new kdbxweb.BinaryStream();
  header.write(stm);
  const headerBytes = stm.getWrittenBytes();
  const headerSha = await kdbxweb.CryptoEngine.sha256(headerBytes);
  const keys = await computeKeys(header, credentials);
  let payload: Buffer | null = null;
  let xml: Buffer | null = null;
  try {
    const hmac = await headerHmac(headerBytes, keys.hmacKey);
    if (!header.protectedStreamKey || header.crsAlgorithm === undefined) throw new Error('kdbxweb gave no inner stream key');
    const protect = await protectedStream(header.protectedStreamKey, header.crsAlgorithm);
    xml = Buffer.from(keepassXml(groups, (plain) => {
      const bytes = Buffer.from(plain, 'utf8');
      const hidden = protect(bytes);
      bytes.fill(0);
      return hidden.toString('base64');
    }), 'utf8');
    const innerStm = new kdbxweb.BinaryStream();
    header.writeInnerHeader(innerStm, ctx);
    const inner = Buffer.from(innerStm.getWrittenBytes());
    // zlib level 3: less than half the time of the default level 6 for a file ~12% larger (measured on 10,000 entries).
    payload = gzipSync(Buffer.concat([inner, xml]), { level: 3 });
    inner.fill(0);
    const encrypted = await transformPayload(header, toArrayBuffer(payload), keys.cipherKey, true);
    const blocks = await kdbxweb.HmacBlockTransform.encrypt(encrypted, keys.hmacKey);
    return { bytes: Buffer.concat([Buffer.from(headerBytes), Buffer.from(headerSha), Buffer.from(hmac), Buffer.from(blocks)]), kdfMs: keys.kdfMs };
  } finally {
    xml?.fill(0);
    payload?.fill(0);
    zero(keys.cipherKey);
    zero(keys.hmacKey);
    zero(header.protectedStreamKey);
  }
}

// ---------------------------------------------------------------- the XML document

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
// Most text needs nothing: one test instead of five replacing passes over every field.
const esc = (s: string) =>
  NEEDS_ESCAPE.test(s) ? s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : s;

/** 16 bytes, base64: a UUID-shaped id as is, anything else a fresh random one. */
function uuidField(id: string): string {
  const hex = id.replace(/-/g, '');
  return (/^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : randomBytes(16)).toString('base64');
}

// KDBX 4 writes times as base64 of a little-endian int64: seconds since 0001-01-01 (KeePassXC does the same).
// Seconds up to year 9999 stay far below 2^53, so plain numbers do (BigInt cost a tenth of the XML's time).
function kdbxTime(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000) + 62_135_596_800;
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError('not a time');
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32LE(seconds % 0x1_0000_0000, 0);
  b.writeUInt32LE(Math.floor(seconds / 0x1_0000_0000), 4);
  return b.toString('base64');
}

function times(created: string, expires: string | null): string {
  const c = kdbxTime(created);
  return (
    `<Times><CreationTime>${c}</CreationTime><LastModificationTime>${c}</LastModificationTime>` +
    `<LastAccessTime>${c}</LastAccessTime><ExpiryTime>${expires ? kdbxTime(expires) : c}</ExpiryTime>` +
    `<Expires>${expires ? 'True' : 'False'}</Expires><UsageCount>0</UsageCount><LocationChanged>${c}</LocationChanged></Times>`
  );
}

const str = (key: string, value: string | null) => `<String><Key>${esc(key)}</Key><Value>${esc(value ?? '')}</Value></String>`;

function keepassXml(groups: KdbxGroupOut[], protect: (plain: string) => string): string {
  const now = new Date().toISOString();
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
    '<KeePassFile><Meta><Generator>Token Vault</Generator><DatabaseName>Token Vault export</DatabaseName>',
    `<DatabaseNameChanged>${kdbxTime(now)}</DatabaseNameChanged>`,
    '<MemoryProtection><ProtectTitle>False</ProtectTitle><ProtectUserName>False</ProtectUserName><ProtectPassword>True</ProtectPassword>',
    '<ProtectURL>False</ProtectURL><ProtectNotes>False</ProtectNotes></MemoryProtection>',
    '<RecycleBinEnabled>False</RecycleBinEnabled></Meta><Root>',
    `<Group><UUID>${randomBytes(16).toString('base64')}</UUID><Name>Token Vault</Name>${times(now, null)}<IsExpanded>True</IsExpanded>`,
  ];
  for (const g of groups) {
    out.push(`<Group><UUID>${uuidField(g.id)}</UUID><Name>${esc(g.name)}</Name>${times(now, null)}<IsExpanded>True</IsExpanded>`);
    for (const e of g.entries) {
      out.push(
        `<Entry><UUID>${uuidField(e.id)}</UUID>${e.tags.length ? `<Tags>${esc(e.tags.join(';'))}</Tags>` : ''}${times(e.createdAt, e.expiresAt)}`,
        str('Title', e.title),
        str('UserName', e.username),
        `<String><Key>Password</Key><Value Protected="True">${protect(e.password ?? '')}</Value></String>`,
        str('URL', e.url),
        str('Notes', e.notes),
        ...e.extra.map(([k, v]) => str(k, v)),
        '</Entry>',
      );
    }
    out.push('</Group>');
  }
  out.push('</Group><DeletedObjects/></Root></KeePassFile>');
  return out.join('');
}
