import { isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { parseDottedPath } from '../../../shared/deployment-targets';
import { appendLine, canonical, detectEol, hasUnprintable, lineColumn, notExpressible, unparsable, type FileFormat } from './file-format';
import { getJsonPath, setJsonPath } from './json-format';
import { TargetFailure } from './target-failure';

/**
 * YAML edited as text with the `yaml` package's parse tree: its node ranges say which characters hold the value,
 * so comments, anchors, key order, indentation and quoting elsewhere stay byte for byte. Each candidate spelling of
 * the value is checked by parsing the whole result again: it must read as the secret and leave every other value
 * (aliases and merge keys resolved) as it was.
 */
const PARSE = { merge: true, uniqueKeys: true, prettyErrors: false } as const;

type Doc = Document.Parsed;

function parse(text: string): Doc {
  const doc = parseDocument(text, PARSE);
  const multiple = doc.errors.find((e) => e.code === 'MULTIPLE_DOCS');
  if (multiple) throw new TargetFailure('multiple-documents', 'The YAML file holds several documents; Token Vault edits files with one.');
  const first = doc.errors[0];
  if (first) throw unparsable('YAML', lineColumn(text, first.pos[0]));
  return doc;
}

const toJS = (doc: Doc): unknown => doc.toJS({ maxAliasCount: 10_000 });

const keyText = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : pair.key === null ? '' : String(pair.key));

/** The node at the path and what holds it (a map's pair, or a list and the index), to replace it in the old document. */
type Found = { kind: 'node'; node: YamlNode | null; pair: Pair | null; seq: { items: unknown[]; index: number } | null } | { kind: 'missing'; map: YAMLMap | null; depth: number };

function locate(doc: Doc, path: string[]): Found {
  let node: unknown = doc.contents;
  let pair: Pair | null = null;
  let seq: { items: unknown[]; index: number } | null = null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = path.slice(0, i).join('.') || '(top)';
    if (node === null && i === 0) return { kind: 'missing', map: null, depth: 0 };
    if (isAlias(node)) throw new TargetFailure('path-conflict', `The path runs through an alias at "${here}"; editing there would change every place that uses its anchor.`, here.slice(0, 200));
    if (isMap(node)) {
      const hit = node.items.filter((p) => keyText(p) === seg).at(-1);
      if (!hit) return { kind: 'missing', map: node, depth: i };
      pair = hit;
      seq = null;
      node = hit.value;
    } else if (isSeq(node) && /^\d+$/.test(seg) && Number(seg) < node.items.length) {
      pair = null;
      seq = { items: node.items, index: Number(seg) };
      node = node.items[Number(seg)];
    } else {
      throw new TargetFailure('path-conflict', `The path runs through a value that is not a map at "${here}"; the file was left as it was.`, path.slice(0, i + 1).join('.').slice(0, 200));
    }
  }
  return { kind: 'node', node: (node ?? null) as YamlNode | null, pair, seq };
}

const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
const keySpelling = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));

function doubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

type Style = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

function spell(value: string, style: Style): string | null {
  switch (style) {
    case 'PLAIN':
      return hasUnprintable(value) || value.trim() !== value || value === '' ? null : value;
    case 'QUOTE_SINGLE':
      return hasUnprintable(value) ? null : `'${value.replace(/'/g, "''")}'`;
    case 'QUOTE_DOUBLE':
      return doubleQuoted(value);
  }
}

const column = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);

/** One level of block indentation, measured between a nested block map and its parent key; two spaces by default. */
function indentUnit(doc: Doc, text: string): string {
  let unit: string | null = null;
  const visit = (node: unknown, parentColumn: number | null) => {
    if (unit !== null) return;
    if (isMap(node) && !node.flow) {
      const first = node.items[0];
      const col = first && isScalar(first.key) && first.key.range ? column(text, first.key.range[0]) : null;
      if (col !== null && parentColumn !== null && col > parentColumn) unit = ' '.repeat(col - parentColumn);
      for (const p of node.items) visit(p.value, col);
    } else if (isSeq(node)) for (const item of node.items) visit(item, parentColumn);
  };
  visit(doc.contents, null);
  return unit ?? '  ';
}

/** Block lines for `rest` = value, at `indent`. */
function blockLines(rest: string[], value: string, indent: string, unit: string, eol: string): string {
  const [head, ...tail] = rest;
  if (tail.length === 0) return `${indent}${keySpelling(head!)}: ${value}`;
  return `${indent}${keySpelling(head!)}:${eol}${blockLines(tail, value, indent + unit, unit, eol)}`;
}

const flowValue = (rest: string[], value: string): string => (rest.length === 0 ? value : `{${keySpelling(rest[0]!)}: ${flowValue(rest.slice(1), value)}}`);

/** Where a new line goes after a pair: the start of the line after the pair's last character. */
function afterPair(text: string, pair: Pair): number {
  const node = (pair.value ?? pair.key) as YamlNode | null;
  const pos = node?.range?.[1] ?? (pair.key as YamlNode | null)?.range?.[1] ?? text.length;
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

function insertLines(text: string, at: number, lines: string, eol: string): string {
  if (at >= text.length) return appendLine(text, lines, eol);
  return text.slice(0, at) + lines + eol + text.slice(at);
}

/** The candidate texts, in order of preference: the value's present spelling first. */
function candidates(doc: Doc, text: string, path: string[], secret: string): { text: string; requoted: boolean; change: 'created' | 'updated' }[] {
  const eol = detectEol(text);
  const at = locate(doc, path);
  const out: { text: string; requoted: boolean; change: 'created' | 'updated' }[] = [];
  if (at.kind === 'node') {
    const { node } = at;
    if (node !== null && !isScalar(node) && !isAlias(node)) {
      throw new TargetFailure('path-conflict', 'The path names a map or list, which the secret would replace; the file was left as it was.', path.join('.').slice(0, 200));
    }
    const range = node?.range;
    if (!range) throw new TargetFailure('path-conflict', 'The value at the path has no place in the file to edit.', path.join('.').slice(0, 200));
    const start = range[0];
    let end = range[1];
    // a block scalar's range runs over its final line breaks: keep them
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    const current = isScalar(node) ? (node.type as string | undefined) : undefined;
    const styles: Style[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'];
    const order = current && styles.includes(current as Style) ? [current as Style, ...styles.filter((s) => s !== current)] : styles;
    for (const style of order) {
      const spelled = spell(secret, style);
      if (spelled === null) continue;
      const lead = start === end && text[start - 1] === ':' ? ' ' : '';
      out.push({ text: text.slice(0, start) + lead + spelled + text.slice(end), requoted: style !== current, change: 'updated' });
    }
    return out;
  }
  const rest = path.slice(at.depth);
  const unit = indentUnit(doc, text);
  const spellings = (['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'] as Style[]).map((s) => spell(secret, s)).filter((s): s is string => s !== null);
  for (const value of spellings) {
    const map = at.map;
    if (map === null) {
      out.push({ text: appendLine(text, blockLines(rest, value, '', unit, eol), eol), requoted: false, change: 'created' });
    } else if (map.flow) {
      const close = text.lastIndexOf('}', map.range![1] - 1);
      const inside = text.slice(map.range![0] + 1, close);
      const lastEnd = close - (inside.length - inside.trimEnd().length);
      const entry = `${keySpelling(rest[0]!)}: ${flowValue(rest.slice(1), value)}`;
      out.push({ text: text.slice(0, lastEnd) + (inside.trim() === '' ? entry : `, ${entry}`) + text.slice(lastEnd), requoted: false, change: 'created' });
    } else {
      const last = map.items.at(-1)!;
      const keyStart = (last.key as YamlNode).range![0];
      const indent = text.slice(keyStart - column(text, keyStart), keyStart).replace(/[^ \t]/g, ' ');
      out.push({ text: insertLines(text, afterPair(text, last), blockLines(rest, value, indent, unit, eol), eol), requoted: false, change: 'created' });
    }
  }
  return out;
}

/** The meaning of the old document with the target value changed the way the candidate text changes it. */
function intended(doc: Doc, path: string[], secret: string): string {
  const at = locate(doc, path);
  if (at.kind === 'node') {
    if (isScalar(at.node)) {
      at.node.value = secret; // aliases of its anchor see the new value, as they will in the file
      return canonical(toJS(doc));
    }
    // an alias replaced by the value: only this place changes, not the anchor's other users
    if (at.pair) at.pair.value = new Scalar(secret);
    else if (at.seq) at.seq.items[at.seq.index] = new Scalar(secret);
    return canonical(toJS(doc));
  }
  const data = (toJS(doc) ?? {}) as Record<string, unknown>;
  setJsonPath(getJsonPath(data, path.slice(0, at.depth)) ?? data, path.slice(at.depth), secret);
  return canonical(data);
}

const pathOf = (key: string) => parseDottedPath(key) ?? [key];

export const yamlFormat: FileFormat<'yaml'> = {
  expected: (_spec, secret) => secret,

  read(text, spec) {
    const value = getJsonPath(toJS(parse(text)), pathOf(spec.key));
    return value === undefined ? [] : [typeof value === 'string' ? value : JSON.stringify(value) ?? ''];
  },

  edit(text, spec, secret) {
    const path = pathOf(spec.key);
    const old = text ?? '';
    const doc = parse(old);
    if (getJsonPath(toJS(doc), path) === secret && locate(doc, path).kind === 'node') return { text: old, change: 'unchanged', requoted: false, occurrences: 1 };
    const want = intended(parse(old), path, secret);
    for (const c of candidates(doc, old, path, secret)) {
      let next: Doc;
      try {
        next = parse(c.text);
      } catch {
        continue;
      }
      if (getJsonPath(toJS(next), path) !== secret || canonical(toJS(next)) !== want) continue;
      return { text: c.text, change: text === null ? 'created' : c.change, requoted: c.requoted, occurrences: 1 };
    }
    throw notExpressible('this YAML file');
  },
};
