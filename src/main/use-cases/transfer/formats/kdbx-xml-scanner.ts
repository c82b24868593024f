/**
 * A small pull scanner for the XML inside a KeePass file: elements, their text (entities and CDATA decoded) and the one
 * attribute KeePass readers need (`Protected`). It replaced saxes here, whose character-by-character state machine was
 * the larger half of reading a 10,000-entry database: this one jumps from '<' to '<' with indexOf.
 *
 * It reads well-formed KeePass XML exactly as an XML parser does and refuses, with an XmlScanError, what a KeePass
 * writer never produces and a hostile file would use: a document type declaration (where entity definitions - "billion
 * laughs" - live; no entity other than the five predefined ones and character references is ever expanded), nesting
 * deeper than MAX_XML_DEPTH, mismatched or unclosed tags, text outside the root element and undefined entities.
 * It does not check every rule of the XML grammar (name characters, duplicate attributes): such a file still yields
 * only the entries it spells out, which the import checks like any others.
 */
export interface XmlHandler {
  open(name: string, isProtected: boolean): void;
  text(text: string): void;
  close(name: string): void;
}

export class XmlScanError extends Error {}

/** KeePass groups nest a handful deep; a file nesting thousands deep is built to exhaust something. */
export const MAX_XML_DEPTH = 256;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&([^;&<]*);?/g;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const NOT_SPACE = /[^ \t\r\n]/;

function decodeEntities(raw: string): string {
  return raw.replace(ENTITY, (whole: string, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlScanError('an "&" that starts no entity');
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : -1;
    if (code < 0) throw new XmlScanError('an entity that is not defined');
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new XmlScanError('a character reference to a character XML forbids');
    return String.fromCodePoint(code);
  });
}

/** Text as an XML parser hands it over: line ends normalized to "\n", references decoded. */
function textOf(raw: string): string {
  const lines = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  return lines.includes('&') ? decodeEntities(lines) : lines;
}

export function scanXml(xml: string, handler: XmlHandler): void {
  const stack: string[] = [];
  const length = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  let rootSeen = false;
  const fail = (why: string): never => {
    throw new XmlScanError(why);
  };
  const until = (marker: string, from: number, what: string): number => {
    const at = xml.indexOf(marker, from);
    return at === -1 ? fail(`${what} that never ends`) : at;
  };
  while (pos < length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > pos) {
      const raw = xml.slice(pos, textEnd);
      if (stack.length > 0) handler.text(textOf(raw));
      else if (NOT_SPACE.test(raw)) fail('text outside the root element');
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const gt = until('>', lt + 2, 'an end tag');
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (open === undefined || open !== name) fail(open === undefined ? 'an end tag with no start tag' : 'an end tag that does not match its start tag');
      handler.close(name);
      pos = gt + 1;
    } else if (next === 0x3f /* ? */) {
      pos = until('?>', lt + 2, 'a processing instruction') + 2;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) pos = until('-->', lt + 4, 'a comment') + 3;
      else if (xml.startsWith('<![CDATA[', lt)) {
        if (stack.length === 0) fail('character data outside the root element');
        const end = until(']]>', lt + 9, 'a CDATA section');
        const raw = xml.slice(lt + 9, end);
        handler.text(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
        pos = end + 3;
      } else fail(xml.startsWith('<!DOCTYPE', lt) ? 'a document type declaration (a KeePass file has none)' : 'a markup declaration');
    } else {
      // A start tag: its name, then attributes (a quoted value may hold '>'), then '>' or '/>'.
      let i = lt + 1;
      while (i < length) {
        const c = xml.charCodeAt(i);
        if (isSpace(c) || c === 0x3e /* > */ || c === 0x2f /* / */) break;
        i++;
      }
      const name = xml.slice(lt + 1, i);
      if (name === '' || name.includes('<') || name.includes('=')) fail('a tag without a name');
      let isProtected = false;
      let selfClosing = false;
      for (;;) {
        while (i < length && isSpace(xml.charCodeAt(i))) i++;
        if (i >= length) fail('a start tag that never ends');
        const c = xml.charCodeAt(i);
        if (c === 0x3e) {
          i++;
          break;
        }
        if (c === 0x2f && xml.charCodeAt(i + 1) === 0x3e) {
          selfClosing = true;
          i += 2;
          break;
        }
        const eq = xml.indexOf('=', i);
        if (eq === -1) fail('a start tag that never ends');
        const attr = xml.slice(i, eq).trim();
        if (attr === '' || /[\s<>/"']/.test(attr)) fail('a malformed attribute');
        let q = eq + 1;
        while (q < length && isSpace(xml.charCodeAt(q))) q++;
        const quote = xml[q];
        if (quote !== '"' && quote !== "'") fail('an attribute value without quotes');
        const close = until(quote as string, q + 1, 'an attribute value');
        const value = xml.slice(q + 1, close);
        if (value.includes('<')) fail('a "<" inside an attribute value');
        if (attr === 'Protected') isProtected = decodeEntities(value).trim().toLowerCase() === 'true';
        i = close + 1;
        const after = xml.charCodeAt(i);
        if (!isSpace(after) && after !== 0x3e && after !== 0x2f) fail('attributes without space between them');
      }
      if (stack.length === 0) {
        if (rootSeen) fail('a second root element');
        rootSeen = true;
      }
      if (stack.length >= MAX_XML_DEPTH) fail(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
      handler.open(name, isProtected);
      if (selfClosing) handler.close(name);
      else stack.push(name);
      pos = i;
    }
  }
  if (!rootSeen) fail('no root element');
  if (stack.length > 0) fail('elements that are never closed (the file is cut short)');
}
