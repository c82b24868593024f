import type { z } from 'zod';
import { AppFailure } from '../errors';
import type { ErrorCode } from '../../shared/result';
import { createLogger, redactText } from '../log/redacting-logger';
import { bucketFor, sleep, type TokenBucket } from './rate-limiter';
import { retryAfterFromHeaders } from './retry-headers';

const log = createLogger('http-client');

/** Headers that carry a credential: they never follow a redirect to another origin and are never logged. */
const SECRET_HEADERS = ['authorization', 'private-token', 'x-vault-token', 'cookie', 'x-api-key', 'dd-api-key', 'dd-application-key'];

/** An AppFailure from a remote call, with what the caller needs to decide what to do next. */
export class RemoteFailure extends AppFailure {
  constructor(
    code: ErrorCode,
    message: string,
    readonly info: {
      status?: number;
      /** The request may have been carried out even though no answer came back (reset, timeout, 502/504). */
      maybeApplied?: boolean;
      retryAfterMs?: number;
      /** A short, redacted message the service gave (for providers that map e.g. a 400 to bad-credential). */
      detail?: string;
    } = {},
  ) {
    super(code, message);
  }
}

export const isRemoteFailure = (e: unknown): e is RemoteFailure => e instanceof RemoteFailure;

export interface HttpClientOptions {
  /** The service's name as users know it, used in every message ("GitLab", "Strapi"). */
  service: string;
  baseUrl: string;
  /** Rate-limit bucket key: one bucket per workspace. */
  workspaceId: string;
  rateLimit: { perSecond: number; burst: number };
  timeoutMs?: number;
  maxRetries?: number;
  maxBodyBytes?: number;
  /** A Retry-After longer than this is not waited for: the caller gets rate-limited with the wait in the message. */
  maxRetryAfterMs?: number;
  /** Base of the exponential backoff (tests make it small). */
  backoffBaseMs?: number;
  /** Headers on every request (credentials): stripped on cross-origin redirects. */
  headers?: Record<string, string>;
  /** Pulls a short human message out of an error body (never echoing a secret; redacted anyway). */
  describeError?: (status: number, body: unknown) => string | undefined;
}

export interface RequestOptions<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the base URL, or an absolute URL on the same origin (a next-page link). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  /** Raw form body (already encoded) instead of json. */
  body?: string;
  schema?: z.ZodType<T>;
  /** Whether a retry is safe. Defaults: GET/PUT/DELETE yes, POST/PATCH no. Creates and regenerates: always false. */
  idempotent?: boolean;
  /** What we were doing, for messages: "listing tokens". */
  what: string;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** https anywhere; plain http only to this machine, where nothing travels over a network. */
export function assertSafeUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppFailure('invalid-argument', 'The service URL is not a valid URL. Use the form https://host[:port][/path].');
  }
  if (url.username || url.password) {
    // A credential in the URL would be stored as the workspace address and shown in the window; it goes in its own field.
    throw new AppFailure('invalid-argument', 'The service URL must not contain a user name or password. Put the credential in the admin credential field.');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new AppFailure(
      'insecure-url',
      `Refusing plain http:// to ${url.hostname}: credentials would travel unencrypted. Use https:// (plain http is allowed only for localhost).`,
    );
  }
  throw new AppFailure('insecure-url', `Unsupported URL scheme ${url.protocol} Use https://.`);
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|ERR_OSSL|HOSTNAME_MISMATCH)/;
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

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

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function defaultDescribe(_status: number, body: unknown): string | undefined {
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

// Request-body fields that carry a credential (a login's password, a pasted key).
const SECRET_FIELDS = /pass(word)?|secret|token|key|credential|value|sha1|cookie/i;

/**
 * Every credential this request sends: header values (and the token inside "Bearer x" / the password inside
 * "Basic b64"), cookie values, and secret-named fields of the body. A service's error may echo any of them.
 */
function sentSecrets(headers: Record<string, string>, json: unknown, form: string | undefined): string[] {
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
  // An echo may show the value as it travelled: form-encoded, URL-encoded or JSON-escaped.
  for (const v of [...out]) {
    out.add(encodeURIComponent(v));
    out.add(new URLSearchParams({ v }).toString().slice(2));
    out.add(JSON.stringify(v).slice(1, -1));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` without any of `secrets` (undefined when a too-short secret makes a clean cut impossible), then redacted. */
function scrubSecrets(text: string, secrets: string[]): string | undefined {
  let out = text;
  for (const s of secrets) {
    if (!out.includes(s)) continue;
    if (s.length < 4) return undefined;
    out = out.split(s).join('[redacted]');
  }
  return redactText(out);
}

export class HttpClient {
  readonly base: URL;
  private readonly bucket: TokenBucket;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxBodyBytes: number;
  private readonly maxRetryAfterMs: number;
  private readonly backoffBaseMs: number;
  /** Requests sent (each attempt, each redirect hop): the benchmark reads this. */
  requestCount = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.base = assertSafeUrl(options.baseUrl);
    this.bucket = bucketFor(options.workspaceId, options.rateLimit.perSecond, options.rateLimit.burst);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
  }

  get service(): string {
    return this.options.service;
  }

  /** A client for the same workspace with extra headers (e.g. a fresh session's Authorization). Shares the bucket. */
  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient({ ...this.options, headers: { ...this.options.headers, ...headers } });
  }

  resolve(path: string, query?: RequestOptions<unknown>['query']): URL {
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      url = new URL(path);
      if (url.origin !== this.base.origin) {
        throw new RemoteFailure('unexpected-response', `${this.service} pointed to another host (${url.host}) for the next page; Token Vault does not follow it.`);
      }
    } else {
      const basePath = this.base.pathname.replace(/\/+$/, '');
      url = new URL(this.base.origin + basePath + (path.startsWith('/') ? path : `/${path}`));
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async request<T = undefined>(opts: RequestOptions<T>): Promise<HttpResponse<T>> {
    const idempotent = opts.idempotent ?? (opts.method === 'GET' || opts.method === 'PUT' || opts.method === 'DELETE');
    const url = this.resolve(opts.path, opts.query);
    for (let attempt = 0; ; attempt++) {
      await this.bucket.acquire(opts.signal);
      let res: Response;
      try {
        res = await this.sendFollowingRedirects(url, opts);
      } catch (e) {
        const failure = this.transportFailure(e, opts);
        if (idempotent && attempt < this.maxRetries && failure.code !== 'tls' && failure.code !== 'insecure-url' && failure.code !== 'unexpected-response') {
          log.info('retrying after a transport failure', { service: this.service, what: opts.what, code: failure.code, attempt });
          await sleep(this.backoff(attempt), opts.signal);
          continue;
        }
        throw failure;
      }
      if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, data: await this.parse(res, opts) };

      const body = await this.readErrorBody(res);
      const retryAfterMs = res.status === 429 || res.status === 503 ? retryAfterFromHeaders(res.status, res.headers) : undefined;
      if (retryAfterMs !== undefined) this.bucket.pauseUntil(Date.now() + retryAfterMs);
      const retryable = res.status === 429 || res.status === 500 || res.status === 502 || res.status === 503 || res.status === 504;
      if (idempotent && retryable && attempt < this.maxRetries && (retryAfterMs ?? 0) <= this.maxRetryAfterMs) {
        log.info('retrying after an HTTP error', { service: this.service, what: opts.what, status: res.status, attempt });
        // Retry-After already paused the bucket; otherwise back off with jitter.
        if (retryAfterMs === undefined) await sleep(this.backoff(attempt), opts.signal);
        continue;
      }
      throw this.statusFailure(res.status, body, opts, idempotent, retryAfterMs);
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(10_000, this.backoffBaseMs * 2 ** attempt);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  private async sendFollowingRedirects(start: URL, opts: RequestOptions<unknown>): Promise<Response> {
    let url = start;
    let method: string = opts.method;
    let body: string | undefined = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
    const headers: Record<string, string> = { accept: 'application/json', ...lower(this.options.headers), ...lower(opts.headers) };
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    for (let hop = 0; hop <= 5; hop++) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      this.requestCount++;
      const res = await fetch(url, { method, headers, body, redirect: 'manual', signal });
      if (![301, 302, 303, 307, 308].includes(res.status)) return res; // the timeout signal keeps covering the body read
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (!location) throw new RemoteFailure('unexpected-response', `${this.service} redirected without saying where to.`);
      const next = assertSafeUrl(new URL(location, url));
      const keepsBody = body !== undefined && !(res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST'));
      if (next.origin !== url.origin) {
        // A 307/308 resends the body, which may hold a password (Strapi, npm login): never to a host the user did not configure.
        if (keepsBody) throw new RemoteFailure('unexpected-response', `${this.service} redirected the request to another host (${next.host}); Token Vault did not send it there. Check the workspace URL.`);
        // An admin credential must never reach a host the user did not configure.
        for (const h of SECRET_HEADERS) delete headers[h];
        log.warn('redirect to another origin: credentials dropped', { service: this.service, to: next.host });
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      url = next;
    }
    throw new RemoteFailure('unexpected-response', `${this.service} redirected too many times. Check the workspace URL.`);
  }

  private transportFailure(e: unknown, opts: RequestOptions<unknown>): AppFailure {
    if (e instanceof AppFailure) return e;
    const name = (e as { name?: string }).name;
    const code = errorCodeOf(e);
    if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new RemoteFailure('timeout', `${this.service} did not answer in time while ${opts.what}. Check the service is up, then try again.`, { maybeApplied: true });
    }
    if (name === 'AbortError' || code === 'ABORT_ERR') {
      return new RemoteFailure('network', `Cancelled while ${opts.what}.`, { maybeApplied: true });
    }
    if (code && TLS_CODES.test(code)) return new RemoteFailure('tls', tlsMessage(this.base.host, code));
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const hint = code === 'ECONNREFUSED' ? 'nothing is listening there' : code === 'ENOTFOUND' ? 'the host name does not resolve' : 'the connection broke';
    return new RemoteFailure('network', `Could not reach ${this.service} at ${this.base.host} while ${opts.what}: ${hint}. Check the URL and your connection.`, {
      maybeApplied: !notSent,
    });
  }

  /**
   * A service's own words, safe to show: without any credential this client (or this request) sent, redacted, short.
   * Services echo what they were sent ("invalid password 'hunter2'"), and a short password has no shape a pattern
   * could catch, so the known values are cut out first.
   */
  safeDetail(text: string, opts?: Pick<RequestOptions<unknown>, 'headers' | 'json' | 'body'>): string | undefined {
    const headers = { ...lower(this.options.headers), ...lower(opts?.headers) };
    const clean = scrubSecrets(text, sentSecrets(headers, opts?.json, opts?.body));
    return clean?.slice(0, 200);
  }

  private statusFailure(status: number, body: unknown, opts: RequestOptions<unknown>, idempotent: boolean, retryAfterMs?: number): RemoteFailure {
    const raw = (this.options.describeError ?? defaultDescribe)(status, body) ?? defaultDescribe(status, body);
    const detail = raw ? this.safeDetail(raw, opts) : undefined;
    const said = detail ? ` (it said: "${detail}")` : '';
    const s = this.service;
    const info = { status, detail, retryAfterMs, maybeApplied: !idempotent && (status === 502 || status === 504) };
    if (status === 401) return new RemoteFailure('bad-credential', `${s} refused the admin credential while ${opts.what}${said}. It may be wrong, expired or revoked: update it in the workspace settings.`, info);
    if (status === 403) return new RemoteFailure('remote-forbidden', `${s} does not allow this credential to do that (${opts.what})${said}. Give it the needed permission or scope.`, info);
    if (status === 404) return new RemoteFailure('remote-not-found', `${s} could not find it while ${opts.what}${said}. It may have been deleted at the service: sync the workspace.`, info);
    if (status === 409) return new RemoteFailure('remote-conflict', `${s} reported a conflict while ${opts.what}${said}. A token with that name may already exist: pick another name.`, info);
    if (status === 429) {
      const wait = retryAfterMs !== undefined ? ` Try again in ${Math.ceil(retryAfterMs / 1000)} s.` : ' Wait a little and try again.';
      return new RemoteFailure('rate-limited', `${s} is limiting the rate of requests (${opts.what}).${wait}`, info);
    }
    if (status >= 500) return new RemoteFailure('server-error', `${s} had a server error (HTTP ${status}) while ${opts.what}. Try again later.`, info);
    if (status === 400 || status === 422) return new RemoteFailure('invalid-argument', `${s} rejected the request while ${opts.what}${said}.`, info);
    return new RemoteFailure('unexpected-response', `${s} answered HTTP ${status} while ${opts.what}${said}.`, info);
  }

  private async readBody(res: Response): Promise<string> {
    const declared = Number(res.headers.get('content-length') ?? 'NaN');
    if (declared > this.maxBodyBytes) {
      await res.body?.cancel();
      throw this.tooLarge();
    }
    if (!res.body) return '';
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > this.maxBodyBytes) {
        await reader.cancel();
        throw this.tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private tooLarge(): RemoteFailure {
    return new RemoteFailure('unexpected-response', `${this.service} sent an answer larger than ${Math.round(this.maxBodyBytes / 1048576)} MB; Token Vault refused it. Check the workspace URL.`);
  }

  private async readErrorBody(res: Response): Promise<unknown> {
    try {
      const text = await this.readBody(res);
      try {
        return JSON.parse(text);
      } catch {
        return text.length < 200 ? text : undefined;
      }
    } catch {
      return undefined;
    }
  }

  private async parse<T>(res: Response, opts: RequestOptions<T>): Promise<T> {
    let text: string;
    try {
      text = await this.readBody(res);
    } catch (e) {
      throw this.transportFailure(e, opts);
    }
    if (!opts.schema) return undefined as T;
    let json: unknown = undefined;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        throw new RemoteFailure('unexpected-response', `${this.service} answered with something that is not JSON while ${opts.what}. Check the workspace URL points at the service's API.`, { status: res.status, maybeApplied: true });
      }
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) {
      log.warn('response failed validation', { service: this.service, what: opts.what, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      throw new RemoteFailure('unexpected-response', `${this.service} answered in a form Token Vault does not understand while ${opts.what}. Check the URL and the service version.`, { status: res.status, maybeApplied: true });
    }
    return parsed.data;
  }
}

function lower(h?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
