import { parseEnv } from 'node:util';
import { appendLine, assertReadsBack, detectEol, hasControl, notExpressible, type FileFormat } from './file-format';
import { TargetFailure } from './target-failure';

/**
 * .env files as the common readers take them (the dotenv package, Node's own env-file option / util.parseEnv, Docker
 * Compose, `source` in a shell, python-dotenv): `[export ]KEY=value`, bare, 'single', "double" or `backtick` quoted,
 * `#` comments, quoted values spanning lines. The editor rewrites only the value's characters, and writes a value
 * only in a spelling every one of those readers takes literally.
 */
type Quote = "'" | '"' | '`' | null;

interface DotenvEntry {
  key: string;
  exported: boolean;
  /** Between the key and the value: `=`, ` = `... */
  assign: string;
  valueStart: number;
  /** End of the value's characters, closing quote included, trailing blanks excluded. */
  valueEnd: number;
  quote: Quote;
}

const KEY = /[A-Za-z0-9_.-]+/y;

function scan(text: string): DotenvEntry[] {
  const out: DotenvEntry[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const blanks = (j: number) => {
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    return j;
  };
  while (i < n) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = n;
    const next = lineEnd + 1;
    let j = blanks(i);
    let exported = false;
    if (text.startsWith('export', j) && (text[j + 6] === ' ' || text[j + 6] === '\t')) {
      exported = true;
      j = blanks(j + 6);
    }
    KEY.lastIndex = j;
    const key = KEY.exec(text)?.[0];
    if (!key) {
      i = next;
      continue;
    }
    const keyEnd = j + key.length;
    j = blanks(keyEnd);
    if (text[j] !== '=') {
      i = next;
      continue;
    }
    const valueStart = blanks(j + 1);
    const assign = text.slice(keyEnd, valueStart);
    const q = text[valueStart];
    if (q === "'" || q === '"' || q === '`') {
      let k = valueStart + 1;
      while (k < n && text[k] !== q) k += text[k] === '\\' && text[k + 1] === q ? 2 : 1;
      if (k < n) {
        let restEnd = text.indexOf('\n', k);
        if (restEnd < 0) restEnd = n;
        if (/^[ \t]*(#.*)?\r?$/.test(text.slice(k + 1, restEnd))) {
          out.push({ key, exported, assign, valueStart, valueEnd: k + 1, quote: q });
          i = restEnd + 1;
          continue;
        }
      }
    }
    // bare: up to a `#`, a CR or the end of the line, blanks trimmed
    let e = valueStart;
    while (e < lineEnd && text[e] !== '#' && text[e] !== '\r') e++;
    while (e > valueStart && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    out.push({ key, exported, assign, valueStart, valueEnd: e, quote: null });
    i = next;
  }
  return out;
}

function decode(text: string, e: DotenvEntry): string {
  const raw = text.slice(e.valueStart, e.valueEnd);
  if (e.quote === null) return raw;
  const inner = raw.slice(1, -1);
  return e.quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
}

// Characters that no reader treats specially in a bare value (no blanks, quotes, `#`, `$`, `\`, `~`, glob or shell syntax).
const BARE_SAFE = /^[A-Za-z0-9_\-./+=:@%,^]+$/;

function encode(value: string, quote: Quote): string | null {
  if (hasControl(value)) return null;
  switch (quote) {
    case null:
      return BARE_SAFE.test(value) ? value : null;
    case "'":
      // python-dotenv unescapes \\ and \' inside single quotes
      return /['\\]/.test(value) ? null : `'${value}'`;
    case '"':
      // double quotes expand $ (Compose, shells) and backslash escapes (every reader, differently)
      return /["\\$`]/.test(value) ? null : `"${value}"`;
    case '`':
      return /[`\\$]/.test(value) ? null : `\`${value}\``;
  }
}

/** A value that names a secret kept elsewhere: `${NAME}`, `$NAME`, or a `tv://` reference. */
function referenceIn(value: string): string | null {
  const braced = /\$\{([^}]+)\}/.exec(value);
  if (braced?.[1]) return braced[1].slice(0, 100);
  const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (bare?.[1]) return bare[1];
  return value.startsWith('tv://') ? 'tv' : null;
}

function nodeValue(text: string, key: string): string | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return parseEnv(body)[key];
}

export const dotenvFormat: FileFormat<'dotenv'> = {
  expected: (_spec, secret) => secret,

  read(text, spec) {
    const mine = scan(text)
      .filter((e) => e.key === spec.key)
      .map((e) => decode(text, e));
    // Node's own parser is the second reader: an entry it sees differently shows up as a mismatch.
    const node = nodeValue(text, spec.key);
    if (mine.length === 0) return node === undefined ? [] : [node];
    return [...mine, node ?? ''];
  },

  edit(text, spec, secret) {
    const old = text ?? '';
    const entries = scan(old);
    const mine = entries.filter((e) => e.key === spec.key);
    let out: string;
    let requoted = false;
    let change: 'created' | 'updated' | 'unchanged';
    if (mine.length > 0) {
      for (const e of mine) {
        const ref = referenceIn(decode(old, e));
        if (ref !== null) throw new TargetFailure('value-is-reference', `${spec.key} takes its value from a reference; the file was left as it was.`, ref);
      }
      out = old;
      let changed = false;
      // from the last entry back, so earlier offsets stay valid
      for (const e of [...mine].reverse()) {
        const styles: Quote[] = [e.quote, null, "'", '"'];
        const style = styles.find((s) => encode(secret, s) !== null);
        if (style === undefined) throw notExpressible('a .env file');
        const written = encode(secret, style)!;
        if (old.slice(e.valueStart, e.valueEnd) === written) continue;
        if (style !== e.quote) requoted = true;
        out = out.slice(0, e.valueStart) + written + out.slice(e.valueEnd);
        changed = true;
      }
      change = changed ? 'updated' : 'unchanged';
    } else {
      // a new line in the file's manner: its `export` habit, its spacing around `=`, its usual quotes
      const exported = entries.filter((e) => e.exported).length * 2 > entries.length;
      const last = entries.at(-1);
      const quotes = entries.map((e) => e.quote);
      const usual = ([null, '"', "'"] as Quote[]).reduce((best, q) => (quotes.filter((x) => x === q).length > quotes.filter((x) => x === best).length ? q : best), null as Quote);
      const style = ([usual, null, "'", '"'] as Quote[]).find((s) => encode(secret, s) !== null);
      if (style === undefined) throw notExpressible('a .env file');
      const line = `${exported ? 'export ' : ''}${spec.key}${last?.assign ?? '='}${encode(secret, style)!}`;
      out = appendLine(old, line, detectEol(old));
      change = 'created';
    }
    const result = { text: out, change, requoted, occurrences: Math.max(1, mine.length) };
    if (change !== 'unchanged') {
      assertReadsBack(dotenvFormat, out, spec, secret);
      assertOthersKept(old, out, spec.key);
    }
    return result;
  },
};

/** Every other variable reads the same before and after (Node's parser), or nothing is written. */
function assertOthersKept(before: string, after: string, key: string): void {
  const strip = (t: string) => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
  const a = { ...parseEnv(strip(before)) };
  const b = { ...parseEnv(strip(after)) };
  delete a[key];
  delete b[key];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) throw new TargetFailure('value-not-expressible', 'Writing the secret would change how other entries of the file read; it was left as it was.');
}
