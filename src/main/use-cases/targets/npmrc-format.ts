import { decode as decodeIni } from 'ini';
import { appendLine, assertReadsBack, canonical, detectEol, hasControl, notExpressible, type FileFormat } from './file-format';
import { TargetFailure } from './target-failure';

/**
 * .npmrc as npm reads it: the `ini` package (the parser npm itself uses), then `${VAR}` expansion. The registry's
 * token is the top-level key `//host/path/:_authToken`; keys after a `[section]` line are not top-level.
 */
interface NpmrcEntry {
  valueStart: number;
  valueEnd: number;
  quoted: '"' | "'" | null;
  /** The value as ini decodes it. */
  value: string;
}

interface NpmrcScan {
  entries: Map<string, NpmrcEntry[]>;
  /** Between key and value in the last top-level entry: `=`, ` = `. */
  lastAssign: string | null;
  /** Offset of the first `[section]` line: top-level keys must go before it. */
  firstSection: number | null;
}

const isQuoted = (v: string) => v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")));

/** ini's `unsafe`: trim; quoted -> JSON (single quotes stripped first); else cut at the first unescaped `;` or `#`. Returns the kept span too. */
function unsafe(raw: string): { value: string; start: number; end: number; quoted: '"' | "'" | null } {
  const lead = raw.length - raw.trimStart().length;
  const val = raw.trim();
  if (isQuoted(val)) {
    let inner: unknown = val.charAt(0) === "'" ? val.slice(1, -1) : val;
    try {
      inner = JSON.parse(inner as string);
    } catch {
      // ini keeps it as it is
    }
    return { value: typeof inner === 'string' ? inner : String(inner), start: lead, end: lead + val.length, quoted: val.charAt(0) as '"' | "'" };
  }
  let esc = false;
  let out = '';
  let i = 0;
  for (; i < val.length; i++) {
    const c = val.charAt(i);
    if (esc) {
      out += '\\;#'.includes(c) ? c : `\\${c}`;
      esc = false;
    } else if (c === ';' || c === '#') break;
    else if (c === '\\') esc = true;
    else out += c;
  }
  if (esc) out += '\\';
  const kept = val.slice(0, i).trimEnd();
  return { value: out.trim(), start: lead, end: lead + kept.length, quoted: null };
}

function scan(text: string): NpmrcScan {
  const entries = new Map<string, NpmrcEntry[]>();
  let lastAssign: string | null = null;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (/^\s*$/.test(line) || /^\s*[;#]/.test(line)) continue;
    if (/^\[([^\]]*)\]\s*$/.test(line)) return { entries, lastAssign, firstSection: lineStart };
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = unsafe(line.slice(0, eq)).value;
    const rawValue = line.slice(eq + 1);
    const v = unsafe(rawValue);
    const valueStart = lineStart + eq + 1 + v.start;
    lastAssign = line.slice(line.slice(0, eq).trimEnd().length, eq + 1 + v.start);
    const list = entries.get(key) ?? [];
    list.push({ valueStart, valueEnd: lineStart + eq + 1 + v.end, quoted: v.quoted, value: v.value });
    entries.set(key, list);
  }
  return { entries, lastAssign, firstSection: null };
}

const tokenKey = (registry: string) => `${registry}:_authToken`;

// A bare value must not start a quote, hold a comment or escape character, blanks, or read as a boolean.
const BARE_SAFE = /^[^\s"';#\\]+$/;

function encode(value: string, style: '"' | "'" | null): string | null {
  if (hasControl(value)) return null;
  if (style === null) return BARE_SAFE.test(value) && !['true', 'false', 'null'].includes(value) ? value : null;
  if (style === '"') return JSON.stringify(value);
  return value.includes("'") ? null : `'${value}'`;
}

function iniValue(text: string, key: string): unknown {
  return (decodeIni(text) as Record<string, unknown>)[key];
}

export const npmrcFormat: FileFormat<'npmrc'> = {
  expected: (_spec, secret) => secret,

  read(text, spec) {
    const key = tokenKey(spec.key);
    const mine = (scan(text).entries.get(key) ?? []).map((e) => e.value);
    const npm = iniValue(text, key);
    const npmValue = typeof npm === 'string' ? npm : '';
    if (mine.length === 0) return npm === undefined ? [] : [npmValue];
    return [...mine, npmValue];
  },

  edit(text, spec, secret) {
    const old = text ?? '';
    const key = tokenKey(spec.key);
    // npm expands ${VAR} in every value after parsing, quoted or not
    if (secret.includes('${')) throw notExpressible('an .npmrc file');
    const { entries, lastAssign, firstSection } = scan(old);
    const mine = entries.get(key) ?? [];
    let out = old;
    let requoted = false;
    let change: 'created' | 'updated' | 'unchanged';
    const written = (style: '"' | "'" | null, before: string, after: string) => {
      const candidate = encode(secret, style);
      if (candidate === null) return null;
      // ini is the judge: the candidate must decode to the secret exactly
      return iniValue(`${before}${candidate}${after}`, key) === secret ? candidate : null;
    };
    if (mine.length > 0) {
      for (const e of mine) {
        const ref = /\$\{([^}]+)\}/.exec(e.value)?.[1];
        if (ref) throw new TargetFailure('value-is-reference', 'The registry token takes its value from an environment variable; the file was left as it was.', ref.slice(0, 100));
      }
      let changed = false;
      for (const e of [...mine].reverse()) {
        const lineStart = old.lastIndexOf('\n', e.valueStart - 1) + 1;
        let lineEnd = old.indexOf('\n', e.valueEnd);
        if (lineEnd < 0) lineEnd = old.length;
        const before = old.slice(lineStart, e.valueStart);
        const after = old.slice(e.valueEnd, lineEnd).replace(/\r$/, '');
        const styles: ('"' | "'" | null)[] = [e.quoted, null, '"'];
        let chosen: string | null = null;
        let chosenStyle: '"' | "'" | null = null;
        for (const s of styles) {
          chosen = written(s, before, after);
          chosenStyle = s;
          if (chosen !== null) break;
        }
        if (chosen === null) throw notExpressible('an .npmrc file');
        if (old.slice(e.valueStart, e.valueEnd) === chosen) continue;
        if (chosenStyle !== e.quoted) requoted = true;
        out = out.slice(0, e.valueStart) + chosen + out.slice(e.valueEnd);
        changed = true;
      }
      change = changed ? 'updated' : 'unchanged';
    } else {
      const assign = lastAssign ?? '=';
      const chosen = written(null, `${key}${assign}`, '') ?? written('"', `${key}${assign}`, '');
      if (chosen === null) throw notExpressible('an .npmrc file');
      const line = `${key}${assign}${chosen}`;
      const eol = detectEol(old);
      out = firstSection === null ? appendLine(old, line, eol) : old.slice(0, firstSection) + line + eol + old.slice(firstSection);
      change = 'created';
    }
    if (change !== 'unchanged') {
      assertReadsBack(npmrcFormat, out, spec, secret);
      const before = decodeIni(old) as Record<string, unknown>;
      before[key] = secret;
      if (canonical(before) !== canonical(decodeIni(out))) {
        throw new TargetFailure('value-not-expressible', 'Writing the token would change how other settings of the file read; it was left as it was.');
      }
    }
    return { text: out, change, requoted, occurrences: Math.max(1, mine.length) };
  },
};
