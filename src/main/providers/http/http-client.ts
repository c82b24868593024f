import type { z } from 'zod';
import { createLogger } from '../../log/redacting-logger';
import { lowerHeaders, scrubSecrets, SECRET_HEADERS, sentSecrets } from './credential-scrub';
import { defaultDescribe, statusFailure, transportFailure } from './failure-mapping';
import { bucketFor, sleep, type TokenBucket } from './rate-limiter';
import { RemoteFailure } from './remote-failure';
import { retryAfterFromHeaders } from './retry-headers';
import { assertSafeUrl } from './url-policy';

const log = createLogger('http-client');


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
  /**
   * The most items one answer may list (an array at the top, or inside its envelope): a bigger one is refused right
   * after parsing, before it is validated and turned into objects, so one enormous page cannot exhaust memory.
   */
  maxListItems?: number;
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

/** The longest array in `v`, looking `depth` levels into objects (envelopes like `{ data: { keys: [...] } }`). */
function longestList(v: unknown, depth: number): number {
  if (Array.isArray(v)) return v.length;
  if (depth <= 0 || !v || typeof v !== 'object') return 0;
  let longest = 0;
  for (const inner of Object.values(v)) longest = Math.max(longest, longestList(inner, depth - 1));
  return longest;
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
        const failure = transportFailure(this.service, this.base.host, e, opts.what);
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
      const raw = (this.options.describeError ?? defaultDescribe)(res.status, body) ?? defaultDescribe(res.status, body);
      throw statusFailure(this.service, res.status, raw ? this.safeDetail(raw, opts) : undefined, opts.what, idempotent, retryAfterMs);
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
    const headers: Record<string, string> = { accept: 'application/json', ...lowerHeaders(this.options.headers), ...lowerHeaders(opts.headers) };
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

  /**
   * A service's own words, safe to show: without any credential this client (or this request) sent, redacted, short.
   * Services echo what they were sent ("invalid password 'hunter2'"), and a short password has no shape a pattern
   * could catch, so the known values are cut out first.
   */
  safeDetail(text: string, opts?: Pick<RequestOptions<unknown>, 'headers' | 'json' | 'body'>): string | undefined {
    const headers = { ...lowerHeaders(this.options.headers), ...lowerHeaders(opts?.headers) };
    const clean = scrubSecrets(text, sentSecrets(headers, opts?.json, opts?.body));
    return clean?.slice(0, 200);
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
      throw transportFailure(this.service, this.base.host, e, opts.what);
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
    const cap = this.options.maxListItems;
    if (cap !== undefined && longestList(json, 2) > cap)
      throw new RemoteFailure('unexpected-response', `${this.service} listed more than ${cap.toLocaleString('en-US')} items in one answer while ${opts.what}; Token Vault refused it. Nothing was changed.`, { status: res.status });
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) {
      log.warn('response failed validation', { service: this.service, what: opts.what, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      throw new RemoteFailure('unexpected-response', `${this.service} answered in a form Token Vault does not understand while ${opts.what}. Check the URL and the service version.`, { status: res.status, maybeApplied: true });
    }
    return parsed.data;
  }
}
