import { AppFailure, isAppFailure } from '../../errors';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import { createLogger } from '../../log/redacting-logger';
import type { TargetFailureInfo, TargetRefusal } from '../../../shared/deployment-targets';

const log = createLogger('targets');

/** The target cannot take the secret as it is; nothing was changed. `detail` is short and never secret. */
export class TargetFailure extends AppFailure {
  constructor(
    readonly reason: TargetRefusal,
    message: string,
    readonly detail: string | null = null,
  ) {
    super('target-refused', message);
  }
}

export const isTargetFailure = (e: unknown): e is TargetFailure => e instanceof TargetFailure;

/** Every form in which a secret could appear in text: as is, JSON-escaped, URL-encoded, base64 (Docker's `user:secret`). */
function secretForms(secrets: string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    out.add(s);
    out.add(JSON.stringify(s).slice(1, -1));
    out.add(encodeURIComponent(s));
    out.add(Buffer.from(s).toString('base64'));
  }
  return [...out].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every form of the secrets cut out. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) if (out.includes(form)) out = out.split(form).join('[redacted]');
  return out;
}

/**
 * A failure as a push or verify outcome reports it. The message is scrubbed of the secret whatever its origin (a
 * service may echo a request body, and the HTTP client only knows secret-named fields), and anything unexpected
 * becomes `internal` with no text of its own: a parser's message may quote the file it read.
 */
export function failureInfo(e: unknown, secrets: string[]): TargetFailureInfo {
  // A refusal is worded by our own code from fixed words, the spec and names found in the file, never the secret:
  // scrubbing it would only mangle a word that happens to equal a (short) secret.
  if (isTargetFailure(e)) return { code: e.code, reason: e.reason, detail: e.detail?.slice(0, 200) ?? null, message: e.message, httpStatus: null, maybeApplied: false };
  if (isRemoteFailure(e)) {
    return {
      code: e.code,
      reason: null,
      detail: e.info.detail ? scrub(e.info.detail, secrets).slice(0, 200) : null,
      message: scrub(e.message, secrets),
      httpStatus: e.info.status ?? null,
      maybeApplied: e.info.maybeApplied ?? false,
    };
  }
  if (isAppFailure(e)) return { code: e.code, reason: null, detail: null, message: scrub(e.message, secrets), httpStatus: null, maybeApplied: false };
  const code = (e as { code?: unknown } | null)?.code;
  log.error('unexpected failure at a deployment target', { name: (e as { name?: unknown } | null)?.name, code: typeof code === 'string' ? code : undefined });
  return { code: 'internal', reason: null, detail: null, message: 'Something unexpected went wrong at this deployment target.', httpStatus: null, maybeApplied: false };
}
