import type { ReadResult, SourceEntry } from '../transfer-types';
import { damaged } from './kdbx-engine';
import { scanXml, XmlScanError } from './kdbx-xml-scanner';

/**
 * One streaming pass (kdbx-xml-scanner.ts) over a KeePass XML document (the inside of a KDBX 4 file, or KeePass 2
 * XML): groups, entries, their strings, times and tags. Protected values are decrypted in document order - including those of history
 * entries and the recycle bin, which are not imported but consume the stream - by `unprotect`.
 */
export type Unprotect = (cipher: Buffer) => Buffer;

interface GroupFrame {
  uuid: string;
  name: string;
  parent: GroupFrame | null;
}

interface EntryDraft {
  group: GroupFrame;
  uuid: string;
  fields: Map<string, string>;
  tags: string[];
  created: string | null;
  expiry: string | null;
  expires: boolean;
  index: number;
}

// KeePass 2 / KDBX 4 times: ISO text, or (KDBX 4) base64 of a little-endian int64 count of seconds since 0001-01-01.
// Plain numbers, not BigInt: every time up to year 9999 is below 2^53 seconds (BigInt cost the reader a tenth of its time).
const SECONDS_0001_TO_1970 = 62_135_596_800;
export function keepassTime(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  let ms: number;
  if (/^\d{4}-/.test(t)) ms = Date.parse(t);
  else {
    const bytes = Buffer.from(t, 'base64');
    if (bytes.length !== 8) return null;
    const high = bytes.readInt32LE(4);
    // Negative, or past what a double holds exactly: far outside the years accepted below.
    if (high < 0 || high >= 0x20_0000) return null;
    ms = (high * 0x1_0000_0000 + bytes.readUInt32LE(0) - SECONDS_0001_TO_1970) * 1000;
  }
  if (!Number.isFinite(ms) || ms < Date.UTC(1970, 0, 1) || ms > Date.UTC(9999, 11, 31)) return null;
  return new Date(ms).toISOString();
}

export function keepassUuid(text: string): string {
  const hex = Buffer.from(text.trim(), 'base64').toString('hex');
  if (hex.length !== 32) return '';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** KeePass 2 separates tags with ';' (KeePassXC also reads ','). */
export const splitTags = (text: string): string[] =>
  text
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter(Boolean);

export function readKeepassXml(xml: string, unprotect: Unprotect | null): ReadResult {
  const stack: string[] = [];
  let text = '';
  let isProtected = false;
  let recycleBin = '';
  let recycleBinEnabled = true;
  let templates = '';
  let group: GroupFrame | null = null;
  let entry: EntryDraft | null = null;
  let historyDepth = 0;
  let key = '';
  let value = '';
  const drafts: EntryDraft[] = [];
  const parent = (n: number) => stack[stack.length - 1 - n];

  const open = (name: string, protectedValue: boolean) => {
    // A field's key or value is text only: an element inside one would cut the text around it (`s3<X/>cret`).
    if ((parent(0) === 'Key' || parent(0) === 'Value') && parent(1) === 'String') throw new XmlScanError(`a field's <${parent(0)}> holds an element <${name}>`);
    stack.push(name);
    text = '';
    isProtected = protectedValue;
    if (name === 'Group' && parent(1) !== 'Meta') group = { uuid: '', name: '', parent: group };
    else if (name === 'Entry') {
      if (parent(1) === 'History') historyDepth++;
      else if (group && historyDepth === 0) entry = { group, uuid: '', fields: new Map(), tags: [], created: null, expiry: null, expires: false, index: drafts.length + 1 };
    }
  };
  const close = () => {
    const name = stack[stack.length - 1];
    const up = parent(1);
    let content = text;
    if (isProtected && unprotect) {
      const plain = unprotect(Buffer.from(content.trim(), 'base64'));
      content = plain.toString('utf8');
      plain.fill(0);
    }
    isProtected = false;
    text = '';
    if (up === 'Meta') {
      if (name === 'RecycleBinUUID') recycleBin = keepassUuid(content);
      else if (name === 'RecycleBinEnabled') recycleBinEnabled = content.trim().toLowerCase() !== 'false';
      else if (name === 'EntryTemplatesGroup') templates = keepassUuid(content);
    } else if (group && up === 'Group' && !entry) {
      if (name === 'UUID') group.uuid = keepassUuid(content);
      else if (name === 'Name') group.name = content;
    } else if (entry && historyDepth === 0) {
      if (up === 'Entry' && name === 'UUID') entry.uuid = keepassUuid(content);
      else if (up === 'Entry' && name === 'Tags') entry.tags = splitTags(content);
      else if (up === 'String' && name === 'Key') key = content;
      else if (up === 'String' && name === 'Value') value = content;
      else if (up === 'Entry' && name === 'String') {
        entry.fields.set(key, value);
        key = value = '';
      } else if (up === 'Times' && parent(2) === 'Entry') {
        if (name === 'CreationTime') entry.created = keepassTime(content);
        else if (name === 'ExpiryTime') entry.expiry = keepassTime(content);
        else if (name === 'Expires') entry.expires = content.trim().toLowerCase() === 'true';
      }
    }
    if (name === 'Entry') {
      if (up === 'History') historyDepth--;
      else if (entry && historyDepth === 0) {
        drafts.push(entry);
        entry = null;
      }
    } else if (name === 'Group' && up !== 'Meta' && group) group = group.parent;
    stack.pop();
  };
  try {
    scanXml(xml, {
      open,
      text: (t) => {
        text += t;
      },
      close,
    });
  } catch (error) {
    throw damaged(error instanceof XmlScanError ? `its XML does not parse: ${error.message}` : 'its XML does not parse');
  }
  value = '';
  return toEntries(drafts, recycleBinEnabled ? recycleBin : '', templates);
}

function toEntries(drafts: EntryDraft[], recycleBin: string, templates: string): ReadResult {
  const result: ReadResult = { entries: [], skipped: [] };
  for (const d of drafts) {
    const path: string[] = [];
    let deleted = false;
    let template = false;
    for (let g: GroupFrame | null = d.group; g; g = g.parent) {
      if (g.uuid && g.uuid !== ZERO_UUID && g.uuid === recycleBin) deleted = true;
      if (g.uuid && g.uuid !== ZERO_UUID && g.uuid === templates) template = true;
      if (g.parent) path.unshift(g.name); // the root group's own name is not a workspace
    }
    const title = d.fields.get('Title') ?? '';
    const where = `entry ${d.index}`;
    if (deleted) result.skipped.push({ where, name: title || null, reason: 'deleted' });
    else if (template) result.skipped.push({ where, name: title || null, reason: 'not-a-credential' });
    else {
      const entry: SourceEntry = {
        sourceId: d.uuid || null,
        groups: path,
        title,
        username: d.fields.get('UserName') || null,
        secret: d.fields.get('Password') || null,
        url: d.fields.get('URL') || null,
        notes: d.fields.get('Notes') || null,
        tags: d.tags,
        createdAt: d.created,
        expiresAt: d.expires ? d.expiry : null,
        where,
      };
      if (entry.secret === null) result.skipped.push({ where, name: title || null, reason: 'no-secret' });
      else result.entries.push(entry);
    }
    d.fields.clear();
  }
  return result;
}
