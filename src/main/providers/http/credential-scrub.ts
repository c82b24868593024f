import { redactText } from '../../log/redacting-logger';

/**
 * Credentials a request carries, and how to cut them out of whatever a service says back: services echo what they
 * were sent ("invalid password 'hunter2'"), and a short password has no shape a pattern could catch.
 */

/** Headers that carry a credential: they never follow a redirect to another origin and are never logged. */
export const SECRET_HEADERS = ['authorization', 'private-token', 'x-vault-token', 'cookie', 'x-api-key', 'dd-api-key', 'dd-application-key'];

// Request-body fields that carry a credential (a login's password, a pasted key).
const SECRET_FIELDS = /pass(word)?|secret|token|key|credential|value|sha1|cookie/i;

/**
 * Every credential this request sends: header values (and the token inside "Bearer x" / the password inside
 * "Basic b64"), cookie values, and secret-named fields of the body, each also as it may be echoed back (URL-, form-
 * and JSON-encoded, base64, base64url, hex). A service's error may echo any of them.
 */
export function sentSecrets(headers: Record<string, string>, json: unknown, form: string | undefined): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.includes(name)) continue;
    out.add(value);
    const scheme = /^(Bearer|Basic|token)\s+(.+)$/i.exec(value);
    if (scheme?.[2]) {
      out.add(scheme[2]);
      if (scheme[1]?.toLowerCase() === 'basic') {
        const plain = Buffer.from(scheme[2], 'base64').toString('utf8');
        const colon = plain.indexOf(':');
        if (colon >= 0) {
          out.add(plain);
          out.add(plain.slice(colon + 1));
        }
      }
    }
    if (name === 'cookie') for (const pair of value.split(';')) out.add(pair.slice(pair.indexOf('=') + 1).trim());
  }
  const walk = (v: unknown, depth: number, secretKey: boolean): void => {
    if (typeof v === 'string') {
      if (secretKey) out.add(v);
    } else if (v && typeof v === 'object' && depth < 6) {
      for (const [k, inner] of Object.entries(v)) walk(inner, depth + 1, secretKey || SECRET_FIELDS.test(k));
    }
  };
  walk(json, 0, false);
  if (form) for (const [k, v] of new URLSearchParams(form)) if (SECRET_FIELDS.test(k)) out.add(v);
  out.delete('');
  // An echo may show the value as it travelled: form-encoded, URL-encoded or JSON-escaped; or encoded by a service
  // that dumps raw bytes (base64 with or without padding, base64url, hex in either case).
  for (const v of [...out]) {
    out.add(encodeURIComponent(v));
    out.add(new URLSearchParams({ v }).toString().slice(2));
    out.add(JSON.stringify(v).slice(1, -1));
    const bytes = Buffer.from(v, 'utf8');
    const b64 = bytes.toString('base64');
    out.add(b64);
    out.add(b64.replace(/=+$/, ''));
    out.add(bytes.toString('base64url'));
    out.add(bytes.toString('hex'));
    out.add(bytes.toString('hex').toUpperCase());
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` without any of `secrets` (undefined when a too-short secret makes a clean cut impossible), then redacted. */
export function scrubSecrets(text: string, secrets: string[]): string | undefined {
  let out = text;
  for (const s of secrets) {
    if (!out.includes(s)) continue;
    if (s.length < 4) return undefined;
    out = out.split(s).join('[redacted]');
  }
  return redactText(out);
}

/** Header names lowercased, so a credential header is recognised whatever its spelling. */
export function lowerHeaders(h?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
