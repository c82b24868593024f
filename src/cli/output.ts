import type { TokenSummary, Workspace } from '../main/vault';
import type { CliContext } from './cli-command';

// What the command line prints: JSON for scripts, aligned tables and sentences for people. Secrets are printed by the
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

/** Data the user asked for on stdout (a rendered template), byte for byte: it is theirs, not ours to reword. */
export function printData(stream: NodeJS.WritableStream, data: string): void {
  stream.write(data);
}

/** A plain aligned table; empty cells show as '-'; every cell made terminal-safe. */
export function printTable(ctx: CliContext, headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : termSafe(String(c)))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  let out = line(headers) + '\n';
  for (const r of cells) out += line(r) + '\n';
  ctx.stdout.write(out);
}

/** `2030-01-31` from an ISO instant; 'never' for null. */
export const day = (iso: string | null): string => (iso === null ? 'never' : iso.slice(0, 10));

/** The JSON shape of a token for `--json` (never a secret). */
export function tokenJson(t: TokenSummary, workspaces: Map<string, Workspace> | Workspace[]) {
  const byId = Array.isArray(workspaces) ? new Map(workspaces.map((w) => [w.id, w])) : workspaces;
  return { ...t, workspace: byId.get(t.workspaceId)?.name ?? null };
}
