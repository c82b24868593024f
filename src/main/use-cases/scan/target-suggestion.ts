import { dottedPathOf, fileTargetKindOf } from '../../../shared/deployment-targets';
import type { SuggestedTarget } from '../../../shared/scan';

/**
 * What a scan would link: the deployment target a found secret most likely is, in the terms of the file targets
 * (a path, a format, a key, and a user for Docker). Guessed from the file name and the
 * line the secret is on; null when the file is none of the known formats (the user links it by hand).
 */
export type { ScanTargetLinker, SuggestedTarget } from '../../../shared/scan';

/**
 * `fileText` is the whole file, `line` the 1-based line the secret starts on, `secret` the secret itself (used only to
 * find the value inside JSON; never returned). A key that holds the secret itself (a token written where a name
 * belongs) is no place to suggest: it would carry the secret to the window as a key or a name.
 */
export function suggestTarget(file: string, fileText: string, line: number, secret: string): SuggestedTarget | null {
  const target = guessTarget(file, fileText, line, secret);
  return target && secret.length > 0 && target.key.includes(secret) ? null : target;
}

function guessTarget(file: string, fileText: string, line: number, secret: string): SuggestedTarget | null {
  const lines = fileText.split(/\r?\n/);
  const text = lines[line - 1] ?? '';
  const kind = fileTargetKindOf(file);
  switch (kind) {
    case 'docker':
      return dockerTarget(file, fileText, secret);
    case 'npmrc': {
      const m = /^\s*(\/\/[^\s=]*?\/?):_authToken\s*=/.exec(text);
      return m ? { file, format: 'npmrc', key: m[1] as string } : null;
    }
    case 'json':
      return jsonTarget(file, fileText, secret);
    case 'yaml':
      return yamlTarget(file, lines, line);
    case 'dotenv': {
      const m = /^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*=/.exec(text);
      return m ? { file, format: 'dotenv', key: m[1] as string } : null;
    }
    case null:
      return null;
    default:
      return kind satisfies never;
  }
}

function jsonTarget(file: string, text: string, secret: string): SuggestedTarget | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const path = findPath(doc, (v) => v === secret);
  return path ? { file, format: 'json', key: dottedPathOf(path) } : null;
}

/** Docker's config.json: auths[host].auth is base64(user:secret). */
function dockerTarget(file: string, text: string, secret: string): SuggestedTarget | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const auths = (doc as { auths?: Record<string, { auth?: unknown }> } | null)?.auths;
  if (!auths || typeof auths !== 'object') return null;
  for (const [host, entry] of Object.entries(auths)) {
    if (typeof entry?.auth !== 'string') continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0 && decoded.slice(colon + 1) === secret) return { file, format: 'docker', key: host, user: decoded.slice(0, colon) };
  }
  return null;
}

function findPath(node: unknown, match: (v: unknown) => boolean, path: string[] = []): string[] | null {
  if (match(node)) return path;
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const found = findPath(v, match, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** A block-mapping YAML path from indentation: `a:\n  b:\n    token: X` -> `a.b.token`. Flow style and lists: null. */
function yamlTarget(file: string, lines: string[], line: number): SuggestedTarget | null {
  const keyOf = (l: string) => /^(\s*)([A-Za-z0-9_.-]+|"[^"]*"|'[^']*'):(\s|$)/.exec(l);
  const own = keyOf(lines[line - 1] ?? '');
  if (!own) return null;
  const path = [(own[2] as string).replace(/^["']|["']$/g, '')];
  let indent = (own[1] as string).length;
  for (let i = line - 2; i >= 0 && indent > 0; i--) {
    const l = lines[i] ?? '';
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const m = keyOf(l);
    const ind = l.length - l.trimStart().length;
    if (ind >= indent) continue;
    if (!m || l.trimStart().startsWith('-')) return null;
    path.unshift((m[2] as string).replace(/^["']|["']$/g, ''));
    indent = ind;
  }
  return { file, format: 'yaml', key: dottedPathOf(path) };
}
