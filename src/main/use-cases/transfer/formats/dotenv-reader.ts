import { parse } from 'dotenv';
import type { ReadResult } from '../transfer-types';

/**
 * A .env file through dotenv's own parser (export prefixes, single/double/backtick quotes, inline and whole-line
 * comments, multi-line double-quoted values; no $VAR expansion). One token per variable, named by the variable; a
 * variable set twice keeps its last value, as dotenv loads it. Empty values hold no secret.
 */
export function readDotenv(file: Buffer): ReadResult {
  const vars = parse(file);
  const text = file.toString('utf8');
  const result: ReadResult = { entries: [], skipped: [] };
  for (const [name, value] of Object.entries(vars)) {
    const where = `line ${lineOf(text, name)}`;
    if (value === '') result.skipped.push({ where, name, reason: 'no-secret' });
    else
      result.entries.push({ sourceId: null, groups: [], title: name, username: null, secret: value, url: null, notes: null, tags: [], createdAt: null, expiresAt: null, where });
  }
  return result;
}

/** The line of the variable's last assignment (the one dotenv keeps), for reports. */
function lineOf(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${escaped}[ \\t]*[=:]`, 'gm');
  let last = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index;
  return last < 0 ? 0 : text.slice(0, last).split('\n').length;
}
