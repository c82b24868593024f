import { statusAt } from '../shared/token-status';
import type { TokenSummary, Workspace } from '../main/vault';
import type { CliContext } from './cli-command';

// What the command line prints: JSON for scripts, tables sized to the terminal and sentences for people. Secrets are printed by the
// commands that issue or get them (printSecret), alone on stdout, and nowhere else. Commands never write to a stream
// themselves: everything goes through this module, so every string from the vault or a service is made terminal-safe
// on its way out (a token name or an error body holding ESC ]0; or ESC [2J would otherwise retitle or wipe the
// user's terminal).

// SECURITY: characters a terminal acts on instead of showing: C0 controls (ESC starts every escape sequence), DEL,
// the C1 controls (U+009B is a one-character CSI), and the invisible bidi/format marks that reorder what is shown.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text made safe for a terminal: each unsafe character shown escaped (`\x1b`, `\u{202e}`), everything else as is. */
export function termSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

// JSON.stringify escapes C0 itself; the rest of UNSAFE it leaves raw, so those become \uXXXX (still the same JSON).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(jsonSafe(value) + '\n');
}

/** `value` as indented JSON that is also terminal-safe. */
export function jsonSafe(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Lines for people (stdout or stderr), each made terminal-safe. */
export function say(stream: NodeJS.WritableStream, ...lines: string[]): void {
  stream.write(lines.map((l) => termSafe(l) + '\n').join(''));
}

/**
 * A secret, alone: raw when piped (scripts read it byte for byte), escaped when a person looks at it on a terminal
 * (a service could issue a "secret" made of escape sequences).
 */
export function printSecret(stream: NodeJS.WritableStream & { isTTY?: boolean }, secret: string, options: { newline?: boolean } = {}): void {
  if (stream.isTTY) stream.write(termSafe(secret) + '\n');
  else stream.write(options.newline === false ? secret : `${secret}\n`);
}

/** A one-line status a terminal rewrites in place (a countdown), made terminal-safe like every other line. */
export function showStatus(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`\r${termSafe(text)}`);
}

/** Erases the line showStatus wrote (carriage return, erase to end of line). */
export function clearStatus(stream: NodeJS.WritableStream): void {
  stream.write('\r\x1b[K');
}

/** Data the user asked for on stdout (a rendered template), byte for byte: it is theirs, not ours to reword. */
export function printData(stream: NodeJS.WritableStream, data: string): void {
  stream.write(data);
}

// Characters that are not one cell each: combining marks, format characters (joiners, variation selectors), emoji,
// East Asian wide blocks, and everything beyond the BMP. A string without any is as wide as it is long.
const NOT_ONE_CELL = /[\p{M}\p{Cf}\p{Emoji_Presentation}\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{10000}-\u{10ffff}]/u;
const oneCellEach = (text: string) => !NOT_ONE_CELL.test(text);
// Made on first use: ICU's segmenter and number formats cost tens of milliseconds to set up, and every start of the
// command line loads this module (most never draw a table).
let segmenterOnce: Intl.Segmenter | undefined;
const graphemes = (text: string) => (segmenterOnce ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text);

/**
 * Terminal cells a grapheme takes: 2 for East Asian wide and fullwidth characters and emoji, else 1. The ranges are
 * the wide blocks of Unicode's EastAsianWidth.txt, close enough for names in a table.
 */
function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0) ?? 0;
  if (/\p{Emoji_Presentation}/u.test(g) || g.includes('\ufe0f')) return 2;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** How many terminal cells `text` (already made termSafe) takes. */
export function displayWidth(text: string): number {
  if (oneCellEach(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes(text)) width += graphemeWidth(segment);
  return width;
}

// Lowercase letters, digits, '-', '.' and '/' each have their own primary weight in Unicode collation, in the same order
// as their code points, and nothing at the other levels: names made only of them sort under Intl.Collator('en') as by
// code point (test/cli/output.test.ts checks it against the collator).
const CODE_POINT_ORDERED = /^[a-z0-9./-]*$/;

/**
 * The order of names in a listing: Intl.Collator('en')'s. When every name is plain lowercase it is the code point
 * order, which needs no collator: building ICU's costs a process ~15 ms.
 */
export function nameOrder(names: Iterable<string>): (a: string, b: string) => number {
  for (const n of names) if (!CODE_POINT_ORDERED.test(n)) return new Intl.Collator('en').compare;
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

/** `text` cut to at most `width` cells, ending in '…' when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (oneCellEach(text)) return `${text.slice(0, width - 1)}…`;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

export interface TableColumn {
  header: string;
  /** Cut to fit the terminal when the table is too wide (shrinking columns give way in the order listed). */
  shrink?: { min: number; fit?: (cell: string, width: number) => string };
}

export type Cell = string | number | null | undefined;

/**
 * An aligned table; empty cells show as '-', every cell is made terminal-safe. When the terminal is narrower than
 * the table (ctx.columns), shrinking columns are cut, widest need first, down to their minimum. Each cell is measured
 * once: at 10,000 rows measuring is most of the work.
 */
export function printTable(ctx: CliContext, columns: (string | TableColumn)[], rows: Cell[][]): void {
  const cols: TableColumn[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const cells = [
    cols.map((c) => c.header),
    ...rows.map((r) =>
      cols.map((_, i) => {
        const c = r[i];
        return c === null || c === undefined || c === '' ? '-' : termSafe(String(c));
      }),
    ),
  ];
  const cellWidths = cells.map((r) => r.map(displayWidth));
  const widths = cols.map((_, i) => cellWidths.reduce((max, r) => Math.max(max, r[i] ?? 0), 0));
  if (ctx.columns !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + 2 * (cols.length - 1) - ctx.columns;
    for (let i = 0; i < cols.length && excess > 0; i++) {
      const min = cols[i]?.shrink?.min;
      if (min === undefined) continue;
      const give = Math.max(0, Math.min(excess, (widths[i] ?? 0) - Math.max(min, cellWidths[0]?.[i] ?? 0)));
      widths[i] = (widths[i] ?? 0) - give;
      excess -= give;
    }
  }
  const last = cols.length - 1;
  let out = '';
  cells.forEach((r, row) => {
    r.forEach((c, i) => {
      const w = widths[i] ?? 0;
      let text = c;
      let used = cellWidths[row]?.[i] ?? 0;
      if (used > w) {
        text = (cols[i]?.shrink?.fit ?? truncate)(c, w);
        used = displayWidth(text);
      }
      out += i === last ? `${text}\n` : `${text}${' '.repeat(Math.max(0, w - used) + 2)}`;
    });
  });
  ctx.stdout.write(out);
}

/** `2030-01-31` from an ISO instant; 'never' for null. */
export const day = (iso: string | null): string => (iso === null ? 'never' : iso.slice(0, 10));

let relativeOnce: Intl.RelativeTimeFormat | undefined;
const relative = { format: (n: number, unit: Intl.RelativeTimeFormatUnit) => (relativeOnce ??= new Intl.RelativeTimeFormat('en', { style: 'narrow', numeric: 'always' })).format(n, unit) };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `in 3d`, `5h ago`, `in 4mo`: how far `iso` is from `now`, in the largest unit that keeps it readable. */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const sign = diff < 0 ? -1 : 1;
  if (abs < MINUTE) return 'now';
  if (abs < HOUR) return relative.format(sign * Math.floor(abs / MINUTE), 'minute');
  if (abs < 2 * DAY) return relative.format(sign * Math.floor(abs / HOUR), 'hour');
  if (abs < 100 * DAY) return relative.format(sign * Math.floor(abs / DAY), 'day');
  if (abs < 730 * DAY) return relative.format(sign * Math.floor(abs / (30.44 * DAY)), 'month');
  return relative.format(sign * Math.floor(abs / (365.25 * DAY)), 'year');
}

/** The JSON shape of a token for `--json` (never a secret): the summary, its status now, and its workspace's name. */
export function tokenJson(t: TokenSummary, workspaces: Map<string, Workspace> | Workspace[], now: number = Date.now()) {
  const byId = Array.isArray(workspaces) ? new Map(workspaces.map((w) => [w.id, w])) : workspaces;
  return { ...t, status: statusAt(t, now), workspace: byId.get(t.workspaceId)?.name ?? null };
}
