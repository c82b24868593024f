import { envNameFor } from '../../../../shared/token-snippets';

/** One token as the plaintext exports write it. */
export interface PlainToken {
  workspace: string;
  name: string;
  secret: string | null;
  description: string | null;
  url: string | null;
  notes: string | null;
  tags: string[];
  createdAt: string;
  expiresAt: string | null;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLAIN_VALUE = /^[A-Za-z0-9_\-.:/+=@,~%^]+$/;

/**
 * A .env file that dotenv reads back exactly: a token named like a variable keeps its name (so a .env imported and
 * exported again is the same file), others get the snippets' variable name, prefixed by their workspace when two
 * would clash. Quoting follows dotenv: single quotes and backticks are literal; double quotes expand \n, so they are
 * used only for multi-line values without backslashes. A value no quoting can carry is left out and reported.
 */
export function dotenvText(tokens: PlainToken[]): { text: string; skipped: { name: string; reason: 'cannot-quote' }[] } {
  const used = new Set<string>();
  const lines = ['# Token Vault export: these secrets are in plain text. Delete this file when you are done with it.'];
  const skipped: { name: string; reason: 'cannot-quote' }[] = [];
  for (const t of tokens) {
    if (t.secret === null) continue;
    const value = quoteDotenv(t.secret);
    if (value === null) {
      skipped.push({ name: `${t.workspace}/${t.name}`, reason: 'cannot-quote' });
      continue;
    }
    let name = ENV_NAME.test(t.name) ? t.name : envNameFor(t.name);
    if (used.has(name)) name = `${envNameFor(t.workspace).replace(/_TOKEN$/, '')}_${name}`;
    for (let n = 2; used.has(name); n++) name = `${name.replace(/_\d+$/, '')}_${n}`;
    used.add(name);
    lines.push(`# ${`${t.workspace}/${t.name}`.replace(/[\r\n]+/g, ' ')}`, `${name}=${value}`);
  }
  return { text: `${lines.join('\n')}\n`, skipped };
}

function quoteDotenv(secret: string): string | null {
  if (PLAIN_VALUE.test(secret)) return secret;
  if (!secret.includes("'") && !/[\r\n]/.test(secret)) return `'${secret}'`;
  if (!secret.includes('"') && !secret.includes('\\')) return `"${secret}"`;
  if (!secret.includes('`')) return `\`${secret}\``;
  return null;
}

export const CSV_COLUMNS = ['workspace', 'name', 'secret', 'description', 'url', 'notes', 'tags', 'expires_at', 'created_at'] as const;

/**
 * A cell a spreadsheet would run as a formula (OWASP CSV injection: = + - @ TAB CR) gets a leading `'`; so does one
 * already starting with `'`, so that `undefuseCsvCell` restores every cell exactly.
 */
const FORMULA_START = /^[=+\-@\t\r']/;
export function defuseCsvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
export function undefuseCsvCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/**
 * RFC 4180 CSV, every cell quoted, with the header the CSV import reads back. Every cell but the secret is defused
 * (defuseCsvCell); the secret stays exact, since that is what the file is for (a spreadsheet shows it as typed only
 * if it is imported as text).
 */
export function csvText(tokens: PlainToken[]): string {
  const cell = (v: string | null) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const rows = [CSV_COLUMNS.join(',')];
  for (const t of tokens)
    rows.push(
      [t.workspace, t.name, t.secret, t.description, t.url, t.notes, t.tags.join(';'), t.expiresAt, t.createdAt]
        .map((v, i) => cell(v === null || CSV_COLUMNS[i] === 'secret' ? v : defuseCsvCell(v)))
        .join(','),
    );
  return `${rows.join('\n')}\n`;
}
