/**
 * The dotenv syntax of the env files a run reads, as the dotenv family of tools writes it:
 *   - `KEY=value`, `export KEY=value`, spaces around `=`; keys are letters, digits, `_`, `.` and `-`
 *   - `# comment` lines, blank lines, and a ` # comment` after an unquoted or quoted value
 *   - unquoted values are trimmed; `'single'` and `` `backtick` `` values are literal; `"double"` values turn
 *     `\n`, `\r`, `\t`, `\"` and `\\` into what they stand for; quoted values may span lines
 *   - CRLF line endings and a leading byte-order mark
 * No `${VAR}` expansion: a value is exactly what is written. A later duplicate key wins.
 * A line that is none of these is an error with its line number; the error never quotes the line (it may hold a
 * secret).
 */

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
}

export type DotenvProblem = 'expected-assignment' | 'bad-key' | 'unterminated-quote' | 'text-after-value';

export type DotenvParse = { ok: true; entries: DotenvEntry[] } | { ok: false; line: number; problem: DotenvProblem };

const KEY = /^[A-Za-z0-9_.-]+$/;
const DOUBLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function parseDotenv(input: string): DotenvParse {
  const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  const entries: DotenvEntry[] = [];
  let pos = 0;
  let line = 1;
  const fail = (problem: DotenvProblem): DotenvParse => ({ ok: false, line, problem });
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const raw = text.slice(pos, eol);
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = eol + 1;
      line++;
      continue;
    }
    const m = /^\s*(?:export\s+)?([^=\s]+)\s*=[ \t]*/.exec(raw);
    if (!m) return fail(/^\s*(?:export\s+)?[^=\s]+\s*$/.test(raw) || !raw.includes('=') ? 'expected-assignment' : 'bad-key');
    const key = m[1] as string;
    if (!KEY.test(key)) return fail('bad-key');
    const startLine = line;
    let at = pos + m[0].length;
    const quote = text[at];
    let value: string;
    if (quote === '"' || quote === "'" || quote === '`') {
      let out = '';
      let i = at + 1;
      for (;;) {
        if (i >= text.length) return { ok: false, line: startLine, problem: 'unterminated-quote' };
        const ch = text[i] as string;
        if (ch === quote) break;
        if (ch === '\n') line++;
        if (quote === '"' && ch === '\\' && i + 1 < text.length) {
          const next = text[i + 1] as string;
          const mapped = DOUBLE_ESCAPES[next];
          out += mapped ?? `\\${next}`;
          if (next === '\n') line++;
          i += 2;
          continue;
        }
        out += ch;
        i++;
      }
      value = out;
      at = i + 1;
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const rest = text.slice(at, end).trim();
      if (rest !== '' && !rest.startsWith('#')) return fail('text-after-value');
      pos = end + 1;
    } else {
      let v = text.slice(at, eol);
      const comment = /(^|\s)#/.exec(v);
      if (comment) v = v.slice(0, comment.index);
      value = v.trim();
      pos = eol + 1;
    }
    entries.push({ key, value, line: startLine });
    line++;
  }
  return { ok: true, entries };
}
