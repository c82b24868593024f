import { AppFailure } from '../../errors';
import { RemoteFailure } from './remote-failure';

/** How a failed request becomes a typed failure with a message the user can act on. */

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|ERR_OSSL|HOSTNAME_MISMATCH)/;
const NOT_SENT_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH']);

/** What went wrong with the certificate, in words the user can act on (the code stays for support). */
function tlsMessage(host: string, code: string): string {
  const why =
    /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/.test(code)
      ? 'is self-signed or issued by an authority this computer does not trust'
      : /EXPIRED/.test(code)
        ? 'has expired'
        : /NOT_YET_VALID/.test(code)
          ? 'is not valid yet (check this computer\'s clock)'
          : /HOSTNAME|ALTNAME/.test(code)
            ? 'was issued for a different host name'
            : 'could not be verified';
  return `The TLS certificate of ${host} ${why} (${code}), so nothing was sent. Check the workspace URL; if it is right, the service's administrator must install a certificate from a trusted authority (or the authority's certificate must be added to this computer's trusted ones).`;
}

function errorCodeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Pulls a short human message out of a service's error body (many services use one of these shapes). */
export function defaultDescribe(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.length < 200 ? body : undefined;
  const b = body as Record<string, unknown>;
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return (v as { message: string }).message;
    return undefined;
  };
  if (Array.isArray(b.errors) && b.errors.length > 0) return pick(b.errors[0]);
  return pick(b.error) ?? pick(b.message) ?? pick(b.detail);
}

/**
 * A request that got no HTTP answer, by cause, each its own code so the window can say which: nothing listens at the
 * address (connection-refused), the host name does not resolve (host-not-found), the certificate is not trusted
 * (tls), no answer in time (timeout), the user cancelled (cancelled), the connection broke (network).
 * `maybeApplied` when the request may have arrived.
 */
export function transportFailure(service: string, host: string, e: unknown, what: string): AppFailure {
  if (e instanceof AppFailure) return e;
  const name = (e as { name?: string }).name;
  const code = errorCodeOf(e);
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new RemoteFailure('timeout', `${service} at ${host} did not answer in time while ${what}.`, { maybeApplied: true });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new RemoteFailure('timeout', `${service} at ${host} did not accept the connection in time while ${what}; nothing was sent.`, { maybeApplied: false });
  }
  if (name === 'AbortError' || code === 'ABORT_ERR') {
    return new RemoteFailure('cancelled', `Cancelled while ${what}, after the request went out: ${service} may have carried it out.`, { maybeApplied: true });
  }
  // The fetch standard refuses ports of other protocols (9, 25, 6000, ...) before connecting: the URL is wrong.
  if (code === undefined && (e as { cause?: { message?: unknown } }).cause?.message === 'bad port') {
    return new AppFailure('invalid-argument', `Token Vault does not connect to port ${portOf(host)}: it belongs to another protocol (as in browsers). Check the workspace URL; nothing was sent.`);
  }
  if (code && TLS_CODES.test(code)) return new RemoteFailure('tls', tlsMessage(host, code));
  if (code === 'ECONNREFUSED') {
    return new RemoteFailure('connection-refused', `${host} refused the connection while ${what}: nothing is listening at that address and port; nothing was sent.`, { maybeApplied: false });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    const why = code === 'EAI_AGAIN' ? 'the name server did not answer' : 'no such host is known';
    return new RemoteFailure('host-not-found', `The host name ${hostnameOf(host)} could not be resolved (${why}) while ${what}; nothing was sent.`, { maybeApplied: false });
  }
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  return new RemoteFailure('network', `The connection to ${service} at ${host} broke while ${what}${code ? ` (${code})` : ''}.`, { maybeApplied: !notSent });
}

const portOf = (host: string): string => /:(\d+)$/.exec(host)?.[1] ?? '';

/** "gitlab.example.com:8443" -> "gitlab.example.com": DNS resolves names, not ports. */
const hostnameOf = (host: string): string => host.replace(/:\d+$/, '');

/**
 * An HTTP error status as a typed failure: 401 bad-credential, 403 remote-forbidden, 404 remote-not-found, 409
 * remote-conflict, 429 rate-limited, 5xx server-error, 400/422 invalid-argument. `detail` is the service's own words,
 * already scrubbed of every credential the request carried.
 */
export function statusFailure(service: string, status: number, detail: string | undefined, what: string, idempotent: boolean, retryAfterMs?: number): RemoteFailure {
  const said = detail ? ` (it said: "${detail}")` : '';
  const s = service;
  const info = { status, detail, retryAfterMs, maybeApplied: !idempotent && (status === 502 || status === 504) };
  if (status === 401) return new RemoteFailure('bad-credential', `${s} refused the admin credential while ${what}${said}. It may be wrong, expired or revoked: update it in the workspace settings.`, info);
  if (status === 403) return new RemoteFailure('remote-forbidden', `${s} does not allow this credential to do that (${what})${said}. Give it the needed permission or scope.`, info);
  if (status === 404) return new RemoteFailure('remote-not-found', `${s} could not find it while ${what}${said}. It may have been deleted at the service: sync the workspace.`, info);
  if (status === 409) return new RemoteFailure('remote-conflict', `${s} reported a conflict while ${what}${said}. A token with that name may already exist: pick another name.`, info);
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? ` Try again in ${Math.ceil(retryAfterMs / 1000)} s.` : ' Wait a little and try again.';
    return new RemoteFailure('rate-limited', `${s} is limiting the rate of requests (${what}).${wait}`, info);
  }
  if (status >= 500) return new RemoteFailure('server-error', `${s} had a server error (HTTP ${status}) while ${what}. Try again later.`, info);
  if (status === 400 || status === 422) return new RemoteFailure('invalid-argument', `${s} rejected the request while ${what}${said}.`, info);
  return new RemoteFailure('unexpected-response', `${s} answered HTTP ${status} while ${what}${said}.`, info);
}
