/**
 * Secret references: `tv://WORKSPACE/TOKEN`, where WORKSPACE is a workspace name or id and TOKEN a token name or id.
 *
 * Each part is percent-encoded the way a URI path segment is: `/` must be written `%2F` and `%` must be `%25`;
 * whitespace, control characters, `{`, `}` and quotes must be encoded too, so a reference always reads as one word
 * in an env file, a shell line or a `{{ tv://... }}` template. Any other character may be written as is or encoded
 * (`tv://acme/deploy%20bot` and `tv://acme/deploy bot` name the same token, but only the first is a valid
 * reference). `formatReference` writes the canonical form: everything but letters, digits and `-._~` encoded.
 */

export const REFERENCE_SCHEME = 'tv://';

export interface SecretReference {
  /** Decoded workspace name or id. */
  workspace: string;
  /** Decoded token name or id. */
  token: string;
}

/** Why a string that starts with `tv://` is not a reference. */
export type ReferenceSyntaxProblem = 'no-token-part' | 'too-many-parts' | 'empty-part' | 'bad-escape' | 'bad-character';

export type ParsedReference = { ok: true; reference: SecretReference } | { ok: false; problem: ReferenceSyntaxProblem };

/** Characters that must be percent-encoded inside a part. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be encoded
const MUST_ENCODE = /[\s\u0000-\u001f\u007f{}"'`]/u;

export const looksLikeReference = (text: string): boolean => text.startsWith(REFERENCE_SCHEME);

export function parseReference(text: string): ParsedReference {
  if (!looksLikeReference(text)) return { ok: false, problem: 'bad-character' };
  const parts = text.slice(REFERENCE_SCHEME.length).split('/');
  if (parts.length < 2) return { ok: false, problem: 'no-token-part' };
  if (parts.length > 2) return { ok: false, problem: 'too-many-parts' };
  const decoded: string[] = [];
  for (const part of parts) {
    if (part === '') return { ok: false, problem: 'empty-part' };
    if (MUST_ENCODE.test(part)) return { ok: false, problem: 'bad-character' };
    if (/%(?![0-9A-Fa-f]{2})/.test(part)) return { ok: false, problem: 'bad-escape' };
    try {
      decoded.push(decodeURIComponent(part));
    } catch {
      return { ok: false, problem: 'bad-escape' }; // %-escapes that are not UTF-8
    }
  }
  return { ok: true, reference: { workspace: decoded[0] as string, token: decoded[1] as string } };
}

const encodePart = (part: string): string =>
  encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical reference of a workspace and token name. */
export function formatReference(workspace: string, token: string): string {
  return `${REFERENCE_SCHEME}${encodePart(workspace)}/${encodePart(token)}`;
}

/** One `{{ tv://... }}` placeholder in a template: where it is and what is inside the braces (trimmed). */
export interface TemplatePlaceholder {
  start: number;
  end: number;
  /** 1-based line of the placeholder's start, for error messages. */
  line: number;
  /** The reference text; null when the braces are not closed on the same line. */
  text: string | null;
}

/**
 * Every `{{` followed (after optional spaces) by `tv://`, up to the `}}` that closes it on the same line. Other
 * `{{ }}` (a Helm or Jinja template's own) are left alone. The text is returned unparsed, so the caller can report a
 * malformed reference instead of silently leaving it in the output.
 */
export function findTemplatePlaceholders(template: string): TemplatePlaceholder[] {
  const out: TemplatePlaceholder[] = [];
  const open = /\{\{[ \t]*tv:\/\//g;
  let line = 1;
  let counted = 0;
  for (let m = open.exec(template); m; m = open.exec(template)) {
    for (let i = template.indexOf('\n', counted); i >= 0 && i < m.index; i = template.indexOf('\n', i + 1)) line++;
    counted = m.index;
    const lineEnd = template.indexOf('\n', m.index);
    const close = template.indexOf('}}', m.index + 2);
    if (close < 0 || (lineEnd >= 0 && close > lineEnd)) {
      out.push({ start: m.index, end: m.index + m[0].length, line, text: null });
      continue;
    }
    out.push({ start: m.index, end: close + 2, line, text: template.slice(m.index + 2, close).trim() });
    open.lastIndex = close + 2;
  }
  return out;
}
