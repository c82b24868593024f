import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { parseDottedPath } from '../../../shared/deployment-targets';
import { assertReadsBack, canonical, detectEol, lineColumn, unparsable, type FileFormat } from './file-format';
import { TargetFailure } from './target-failure';

/**
 * JSON edited as text: the parse tree (with offsets) says where the value sits, and only those characters change.
 * A missing key is added after its last sibling copying the siblings' separator, colon spacing and indentation,
 * so a file with 4-space indent, CRLF or no final newline keeps them.
 */

/** Strict JSON (no comments, no trailing commas), as the tools that read these files expect. */
export function parseStrictJson(text: string, what = 'JSON'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text (and could quote a secret): point at the place instead
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    throw unparsable(what, errors[0] ? lineColumn(text, errors[0].offset) : null);
  }
}

function tree(text: string): JsonNode {
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!root) throw unparsable('JSON', null);
  return root;
}

const keyOf = (prop: JsonNode) => prop.children?.[0]?.value as string;
const valueOf = (prop: JsonNode) => prop.children?.[1];
const end = (n: JsonNode) => n.offset + n.length;

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** One level of indentation: the first indented member line (a tab or N spaces); two spaces when nothing says. */
function indentUnit(text: string, fallback: string): string {
  const m = /\n([ \t]+)["{[\]}]/.exec(text);
  return m?.[1] ?? fallback;
}

function colonStyle(text: string, root: JsonNode): string {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'property' && n.children?.[0] && n.children[1]) return text.slice(end(n.children[0]), n.children[1].offset);
    stack.push(...(n.children ?? []));
  }
  return text.includes('\n') ? ': ' : ':';
}

type Located = { found: JsonNode[] } | { missing: JsonNode; depth: number };

function locate(text: string, root: JsonNode, path: string[]): Located {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (node.type === 'object') {
      const props = (node.children ?? []).filter((p) => keyOf(p) === seg);
      if (props.length === 0) return { missing: node, depth: i };
      // JSON.parse keeps the last of duplicate keys: every duplicate leaf is written, the last one is followed
      if (last) return { found: props.map((p) => valueOf(p)!) };
      node = valueOf(props.at(-1)!)!;
    } else if (node.type === 'array' && /^\d+$/.test(seg) && Number(seg) < (node.children?.length ?? 0)) {
      node = node.children![Number(seg)]!;
      if (last) return { found: [node] };
    } else {
      throw new TargetFailure('path-conflict', `The path runs through a value that is not an object at "${path.slice(0, i).join('.') || '(top)'}"; the file was left as it was.`, path.slice(0, i + 1).join('.').slice(0, 200));
    }
  }
  return { found: [node] };
}

/** `value` nested under `rest` keys, in the block style of `indent` (or compact). */
function build(rest: string[], value: string, indent: string, unit: string, colon: string, eol: string, compact: boolean): string {
  if (rest.length === 0) return JSON.stringify(value);
  const inner = build(rest.slice(1), value, indent + unit, unit, colon, eol, compact);
  if (compact) return `{${JSON.stringify(rest[0])}${colon}${inner}}`;
  return `{${eol}${indent + unit}${JSON.stringify(rest[0])}${colon}${inner}${eol}${indent}}`;
}

/** A new JSON file holding only `path` = value. */
export function newJsonText(path: string[], value: string, unit: string): string {
  return `${build(path, value, '', unit, ': ', '\n', false)}\n`;
}

/** The text with the string `value` at `path`, everything else byte for byte as it was. */
export function setJsonText(text: string, path: string[], value: string, fallbackUnit = '  '): string {
  const root = tree(text);
  const at = locate(text, root, path);
  if ('found' in at) {
    let out = text;
    for (const node of [...at.found].sort((a, b) => b.offset - a.offset)) {
      if (node.type === 'object' || node.type === 'array') {
        throw new TargetFailure('path-conflict', `The path names an ${node.type}, which the secret would replace; the file was left as it was.`, path.join('.').slice(0, 200));
      }
      out = out.slice(0, node.offset) + JSON.stringify(value) + out.slice(end(node));
    }
    return out;
  }
  const { missing: obj, depth } = at;
  const rest = path.slice(depth);
  const eol = detectEol(text);
  const unit = indentUnit(text, fallbackUnit);
  const props = obj.children ?? [];
  const lastProp = props.at(-1);
  if (lastProp) {
    const colon = text.slice(end(lastProp.children![0]!), lastProp.children![1]!.offset);
    const sep = props.length >= 2 ? text.slice(end(props.at(-2)!), lastProp.offset) : `,${text.slice(obj.offset + 1, lastProp.offset)}`;
    const compact = !sep.includes('\n');
    const indent = compact ? '' : lineIndent(text, lastProp.offset);
    const added = `${sep}${JSON.stringify(rest[0])}${colon}${build(rest.slice(1), value, indent, unit, colon, eol, compact)}`;
    return text.slice(0, end(lastProp)) + added + text.slice(end(lastProp));
  }
  const colon = colonStyle(text, root);
  const compact = !text.includes('\n');
  const inner = `${JSON.stringify(rest[0])}${colon}`;
  if (compact) return `${text.slice(0, obj.offset + 1)}${inner}${build(rest.slice(1), value, '', unit, colon, eol, true)}${text.slice(end(obj) - 1)}`;
  const base = lineIndent(text, obj.offset);
  const body = `${eol}${base + unit}${inner}${build(rest.slice(1), value, base + unit, unit, colon, eol, false)}${eol}${base}`;
  return `${text.slice(0, obj.offset + 1)}${body}${text.slice(end(obj) - 1)}`;
}

/** The value at `path` in parsed JSON (undefined when absent). */
export function getJsonPath(data: unknown, path: string[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)];
    else if (cur && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, seg)) cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}

/** Sets `path` in parsed JSON the way the text edit does (objects created on the way), for comparing meanings. */
export function setJsonPath(data: unknown, path: string[], value: unknown): void {
  let cur = data as Record<string, unknown>;
  path.forEach((seg, i) => {
    if (i === path.length - 1) cur[seg] = value;
    else {
      if (!cur[seg] || typeof cur[seg] !== 'object') cur[seg] = {};
      cur = cur[seg] as Record<string, unknown>;
    }
  });
}

/** Nothing but `changes` differs in meaning between the two texts, or nothing is written. */
export function assertOnlyChanged(before: string | null, after: string, changes: [string[], unknown][]): void {
  const was: unknown = before === null ? {} : JSON.parse(before);
  for (const [path, value] of changes) setJsonPath(was, path, value);
  if (canonical(was) !== canonical(JSON.parse(after))) {
    throw new TargetFailure('value-not-expressible', 'Writing the secret would change other parts of the file; it was left as it was.');
  }
}

const pathOf = (key: string) => parseDottedPath(key) ?? [key];

export const jsonFormat: FileFormat<'json'> = {
  expected: (_spec, secret) => secret,

  read(text, spec) {
    const value = getJsonPath(parseStrictJson(text), pathOf(spec.key));
    return value === undefined ? [] : [typeof value === 'string' ? value : JSON.stringify(value)];
  },

  edit(text, spec, secret) {
    const path = pathOf(spec.key);
    // a new or empty file (`touch config.json`) gets a document holding only the path
    if (text === null || text.trim() === '') {
      return { text: newJsonText(path, secret, '  '), change: 'created', requoted: false, occurrences: 1 };
    }
    const before = parseStrictJson(text);
    const had = getJsonPath(before, path);
    if (had === secret) return { text, change: 'unchanged', requoted: false, occurrences: 1 };
    const out = setJsonText(text, path, secret);
    if (out === text) return { text, change: 'unchanged', requoted: false, occurrences: 1 };
    assertReadsBack(jsonFormat, out, spec, secret);
    assertOnlyChanged(text, out, [[path, secret]]);
    return { text: out, change: had === undefined ? 'created' : 'updated', requoted: false, occurrences: 1 };
  },
};
