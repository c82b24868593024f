import { parse } from 'csv-parse/sync';
import type { ReadResult, SourceEntry } from '../transfer-types';
import { columnKey, looseDate, orNull, splitList, unreadable } from './format-support';
import { CSV_COLUMNS, undefuseCsvCell } from './plaintext-writers';

/** The columns a CSV may name (compared case- and punctuation-insensitively), each with the names it goes by. */
const COLUMNS = {
  id: ['id', 'uuid'],
  workspace: ['workspace', 'group', 'folder', 'vault', 'grouping', 'project'],
  name: ['name', 'title', 'label', 'variable', 'key'],
  secret: ['secret', 'password', 'value', 'token', 'apikey', 'apitoken', 'credential'],
  description: ['description', 'username', 'user', 'login', 'account'],
  url: ['url', 'website', 'uri', 'loginuri'],
  notes: ['notes', 'note', 'comments', 'extra'],
  tags: ['tags', 'labels', 'scopes'],
  expires: ['expires', 'expiresat', 'expiry', 'expiration', 'expirationdate', 'validuntil'],
  created: ['created', 'createdat', 'creationdate'],
} as const;
type Column = keyof typeof COLUMNS;

function rowsOf(text: string, what: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw unreadable(what, `the CSV does not parse${line ? ` near line ${line}` : ''}`);
  }
}

/**
 * CSV with a header row naming its columns (any order; see COLUMNS). A name and a secret column are required;
 * the Token Vault CSV export is read back by it.
 */
export function readCsv(text: string, what = 'CSV'): ReadResult {
  const rows = rowsOf(text, what);
  const header = (rows[0] ?? []).map(columnKey);
  const index = {} as Record<Column, number>;
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][])
    index[col] = header.findIndex((h) => names.includes(h));
  if (index.secret < 0 || index.name < 0)
    throw unreadable(what, 'its header row needs a name (or title) column and a secret (or password, value, token) column');
  // Our own export (its exact header) defused formula-like cells: undo exactly that, every column but the secret.
  const ours = (rows[0] ?? []).join(',') === CSV_COLUMNS.join(',');
  const result: ReadResult = { entries: [], skipped: [] };
  rows.slice(1).forEach((row, i) => {
    const raw = (c: Column) => (index[c] >= 0 ? (row[index[c]] ?? '') : '');
    const cell = (c: Column) => (ours && c !== 'secret' ? undefuseCsvCell(raw(c)) : raw(c));
    const where = `line ${i + 2}`;
    const name = cell('name').trim() || null;
    const expires = looseDate(cell('expires'));
    const created = looseDate(cell('created'));
    const secret = orNull(cell('secret'));
    if (row.length < header.length || expires === null || created === null) result.skipped.push({ where, name, reason: 'malformed' });
    else if (secret === null) result.skipped.push({ where, name, reason: 'no-secret' });
    else {
      const entry: SourceEntry = {
        sourceId: orNull(cell('id')),
        groups: cell('workspace').trim() ? [cell('workspace').trim()] : [],
        title: name ?? '',
        username: orNull(cell('description')),
        secret,
        url: orNull(cell('url')),
        notes: orNull(cell('notes')),
        tags: splitList(cell('tags')),
        createdAt: created ?? null,
        expiresAt: expires ?? null,
        where,
      };
      result.entries.push(entry);
    }
    row.fill('');
  });
  return result;
}

/**
 * 1Password's CSV export: 1Password 8 writes Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes (as in
 * pass-import's test data, roddhjav/pass-import tests/assets/db/1password8.csv); 1Password 7 wrote lower-case
 * title,website,username,password,notes. It has no vault column and no ids.
 */
export function read1PasswordCsv(text: string): ReadResult {
  const header = (rowsOf(text, '1Password CSV')[0] ?? []).map(columnKey);
  if (!header.includes('title') || !header.includes('password'))
    throw unreadable('1Password CSV', 'its header row has no Title and Password columns');
  return readCsv(text, '1Password CSV');
}
