import type { FileTargetKind, TargetSpecOf } from '../../../shared/deployment-targets';
import { TargetFailure } from './target-failure';

/** A file format's in-place editor and its independent reader. Pure: text in, text out. */
export interface EditResult {
  text: string;
  change: 'created' | 'updated' | 'unchanged';
  /** The value's quoting differs from what the entry had, because the old style could not hold the secret. */
  requoted: boolean;
  /** How many places now hold the secret. */
  occurrences: number;
}

export interface FileFormat<K extends FileTargetKind> {
  /**
   * The text with the secret at the spec's place and every other byte kept (`text` null: a new file). Throws
   * TargetFailure when it cannot, and checks its own result with the format's reader before returning it.
   */
  edit(text: string | null, spec: TargetSpecOf<K>, secret: string): EditResult;
  /** The values at the spec's place, read the way the consuming tool reads them; [] when absent. */
  read(text: string, spec: TargetSpecOf<K>): string[];
  /** What read() gives back once the secret is in place (Docker: `user:secret`). */
  expected(spec: TargetSpecOf<K>, secret: string): string;
}

/** The file's own line ending: the more common of CRLF and LF (LF for a file without any). */
export function detectEol(text: string): '\r\n' | '\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** Appends a line in the file's own way: after a final line break if there is one, keeping "no final line break" if not. */
export function appendLine(text: string, line: string, eol: string): string {
  if (text === '') return line + eol;
  if (text.endsWith('\n')) return text + line + eol;
  return text + eol + line;
}

/** Line and column (1-based) of an offset, for messages that point into a file without quoting it. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

/** Control characters (other than tab) have no safe spelling in a line-based file. */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Characters YAML will not take literally outside double quotes (C0/C1 controls, line and paragraph separators, BOM). */
export function hasUnprintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}

export function unparsable(what: string, where: string | null): TargetFailure {
  return new TargetFailure('unparsable', `The file is not valid ${what}${where ? ` (at line:column ${where})` : ''}; it was left as it was.`, where);
}

export function notExpressible(what: string): TargetFailure {
  return new TargetFailure('value-not-expressible', `The secret contains characters that ${what} cannot hold as written; the file was left as it was.`);
}

/** Guard against an editor bug: the edited text must read back as the secret, else nothing is written. */
export function assertReadsBack<K extends FileTargetKind>(format: FileFormat<K>, text: string, spec: TargetSpecOf<K>, secret: string): void {
  const values = format.read(text, spec);
  const want = format.expected(spec, secret);
  if (values.length === 0 || values.some((v) => v !== want)) {
    throw new TargetFailure('value-not-expressible', 'The edited file would not read back as the secret; it was left as it was.');
  }
}

/** A stable text form of parsed data (keys sorted) to compare what two versions of a file mean. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
