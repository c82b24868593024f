import { gunzipSync } from 'node:zlib';
import type { Kdbx, KdbxCredentials, KdbxGroup } from 'kdbxweb';
import type { ReadResult, SourceEntry } from '../transfer-types';
import {
  computeKeys,
  damaged,
  headerHmac,
  protectedStream,
  installArgon2,
  kdbxweb,
  toArrayBuffer,
  transformPayload,
  translateKdbxError,
  wrongKdbxPassword,
  zero,
} from './kdbx-engine';
import { readKeepassXml, splitTags } from './kdbx-xml-reader';

export interface KdbxReadResult extends ReadResult {
  kdfMs: number;
}

/**
 * Reads a KeePass database (KDBX 4: AES or ChaCha20, Argon2d / Argon2id / AES-KDF; KDBX 3.1 through kdbxweb's model).
 * A wrong password is AppFailure('wrong-password'); a damaged file AppFailure('invalid-argument'). Every decrypted
 * buffer it can reach is zeroed before it returns (JavaScript strings cannot be: the entries' secrets are strings).
 */
export async function readKdbx(file: Uint8Array, password: string, limits: { maxUnpacked?: number } = {}): Promise<KdbxReadResult> {
  installArgon2();
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
  const data = toArrayBuffer(file);
  let version: number;
  try {
    version = new DataView(data).getUint16(10, true);
    if (data.byteLength < 12 || new DataView(data).getUint32(0, true) !== kdbxweb.Consts.Signatures.FileMagic) throw damaged('no KeePass signature');
  } catch (error) {
    throw error instanceof RangeError ? damaged('the file is too short') : error;
  }
  try {
    return version === 4 ? await readKdbx4(data, credentials, limits.maxUnpacked ?? MAX_UNPACKED) : await readWithModel(data, credentials);
  } catch (error) {
    throw translateKdbxError(error);
  } finally {
    zero(data);
  }
}

/** What a KDBX payload may unpack to, as for a 1PUX archive: a few megabytes of gzip must not become gigabytes. */
const MAX_UNPACKED = 256 * 1024 * 1024;

function unpacked(decrypted: ArrayBuffer, max: number): Buffer {
  try {
    return gunzipSync(new Uint8Array(decrypted), { maxOutputLength: max });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw damaged(`its content unpacks to more than ${Math.round(max / 1024 / 1024)} MB`);
    throw error;
  }
}

async function readKdbx4(data: ArrayBuffer, credentials: KdbxCredentials, maxUnpacked: number): Promise<KdbxReadResult> {
  const kdbx = kdbxweb.Kdbx.create(credentials, '');
  const ctx = new kdbxweb.KdbxContext({ kdbx });
  const stm = new kdbxweb.BinaryStream(data);
  const header = kdbxweb.KdbxHeader.read(stm, ctx);
  kdbx.header = header;
  if (!header.endPos) throw damaged('its header has no end');
  const headerBytes = data.slice(0, header.endPos);
  const expectedSha = stm.readBytes(32);
  if (!kdbxweb.ByteUtils.arrayBufferEquals(await kdbxweb.CryptoEngine.sha256(headerBytes), expectedSha)) throw damaged('its header checksum does not match');
  const keys = await computeKeys(header, credentials);
  let plain: Buffer | null = null;
  try {
    const expectedHmac = stm.readBytes(32);
    if (!kdbxweb.ByteUtils.arrayBufferEquals(await headerHmac(headerBytes, keys.hmacKey), expectedHmac)) throw wrongKdbxPassword();
    const blocks = await kdbxweb.HmacBlockTransform.decrypt(stm.readBytesToEnd(), keys.hmacKey);
    const decrypted = await transformPayload(header, blocks, keys.cipherKey, false);
    zero(blocks);
    plain = header.compression === kdbxweb.Consts.CompressionAlgorithm.GZip ? unpacked(decrypted, maxUnpacked) : Buffer.from(decrypted);
    if (plain.buffer !== decrypted) zero(decrypted);
    const inner = new kdbxweb.BinaryStream(toArrayBuffer(plain));
    header.readInnerHeader(inner, ctx);
    const xmlBytes = plain.subarray(inner.pos);
    const xml = xmlBytes.toString('utf8');
    if (!header.protectedStreamKey || header.crsAlgorithm === undefined) throw damaged('its inner header is incomplete');
    const unprotect = await protectedStream(header.protectedStreamKey, header.crsAlgorithm);
    const result = readKeepassXml(stripInvalidXmlChars(xml), (cipher) => {
      const plain = unprotect(cipher);
      cipher.fill(0);
      return plain;
    });
    return { ...result, kdfMs: keys.kdfMs };
  } finally {
    plain?.fill(0);
    zero(keys.cipherKey);
    zero(keys.hmacKey);
    zero(header.protectedStreamKey);
    for (const b of kdbx.binaries.getAll()) if (b.value instanceof ArrayBuffer) zero(b.value);
  }
}

// Some KeePass writers leave control characters XML 1.0 forbids; kdbxweb drops them the same way.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const stripInvalidXmlChars = (xml: string) => (INVALID_XML_CHARS.test(xml) ? xml.replace(INVALID_XML_CHARS, '') : xml);

/** KDBX 3.1 (and the test oracle for the fast path): kdbxweb's whole model, walked into entries. Its kdfMs is the whole
 * load (kdbxweb derives the key inside it): an upper bound. */
export async function readWithModel(data: ArrayBuffer, credentials: KdbxCredentials): Promise<KdbxReadResult> {
  const t0 = performance.now();
  const db = await kdbxweb.Kdbx.load(data, credentials);
  try {
    return { ...entriesOfModel(db), kdfMs: performance.now() - t0 };
  } finally {
    for (const e of db.getDefaultGroup().allEntries()) {
      const p = e.fields.get('Password');
      if (p instanceof kdbxweb.ProtectedValue) p.getBinary().fill(0);
    }
  }
}

export function entriesOfModel(db: Kdbx): ReadResult {
  const result: ReadResult = { entries: [], skipped: [] };
  const recycleBin = db.meta.recycleBinEnabled ? db.meta.recycleBinUuid?.id : undefined;
  const templates = db.meta.entryTemplatesGroup?.id;
  const text = (v: unknown) => (v instanceof kdbxweb.ProtectedValue ? v.getText() : typeof v === 'string' ? v : '');
  let index = 0;
  const walk = (group: KdbxGroup, path: string[], deleted: boolean, template: boolean) => {
    for (const e of group.entries) {
      index++;
      const title = text(e.fields.get('Title'));
      const where = `entry ${index}`;
      if (deleted || template) {
        result.skipped.push({ where, name: title || null, reason: deleted ? 'deleted' : 'not-a-credential' });
        continue;
      }
      const entry: SourceEntry = {
        sourceId: e.uuid.empty ? null : uuidOf(e.uuid.id),
        groups: path,
        title,
        username: text(e.fields.get('UserName')) || null,
        secret: text(e.fields.get('Password')) || null,
        url: text(e.fields.get('URL')) || null,
        notes: text(e.fields.get('Notes')) || null,
        tags: splitTags(e.tags.join(';')),
        createdAt: e.times.creationTime ? e.times.creationTime.toISOString() : null,
        expiresAt: e.times.expires && e.times.expiryTime ? e.times.expiryTime.toISOString() : null,
        where,
      };
      if (entry.secret === null) result.skipped.push({ where, name: title || null, reason: 'no-secret' });
      else result.entries.push(entry);
    }
    for (const g of group.groups) {
      const id = g.uuid.id;
      walk(g, [...path, g.name ?? ''], deleted || (!!recycleBin && id === recycleBin), template || (!!templates && id === templates));
    }
  };
  walk(db.getDefaultGroup(), [], false, false);
  return result;
}

const uuidOf = (base64: string) => {
  const hex = Buffer.from(base64, 'base64').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
