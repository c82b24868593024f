import { randomUUID } from 'node:crypto';
import { bearer, ContractServer, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * Heroku Platform API OAuth authorizations (PROVIDERS.md §4.4): `Accept: application/vnd.heroku+json; version=3`,
 * `{id, message}` errors, Range / Next-Range pagination answered 206 until the last page, regenerate-tokens, and a
 * 429 that says no wait (only RateLimit-Remaining: 0).
 */
export interface HerokuAuth {
  id: string;
  description: string;
  scope: string[];
  created_at: string;
  updated_at: string;
  token: string;
  /** Seconds the access token lives from its issue; null = never expires. */
  lifetime: number | null;
  issuedAt: number;
}

const SCOPES = ['global', 'identity', 'read', 'write', 'read-protected', 'write-protected'];
const error = (status: number, id: string, message: string, extra: Record<string, unknown> = {}): ContractResponse => ({ status, json: { id, message, ...extra } });
const unauthorized = error(401, 'unauthorized', 'Invalid credentials provided.');
const notFound = error(404, 'not_found', "Couldn't find that authorization.", { resource: 'authorization' });
const RANGE = /^\s*(\]?)([^.;\s]*)\s*\.\.\s*;?\s*(?:max=(\d+))?\s*;?\s*$/;

export function createHerokuServer() {
  const auths: HerokuAuth[] = [];
  let seq = 0;
  // Ids sort in creation order, so a Range on id pages in that order.
  const nextId = () => `${(++seq).toString(16).padStart(8, '0')}-${randomUUID().slice(9)}`;
  const newToken = () => `HRKU-${randomUUID()}`;
  function add(description: string, scope: string[] = ['global'], lifetime: number | null = null): HerokuAuth {
    const now = new Date().toISOString();
    const a: HerokuAuth = { id: nextId(), description, scope, created_at: now, updated_at: now, token: newToken(), lifetime, issuedAt: Date.now() };
    auths.push(a);
    return a;
  }
  const admin = add('admin (heroku login)');
  const left = (a: HerokuAuth) => (a.lifetime === null ? null : Math.round(a.lifetime - (Date.now() - a.issuedAt) / 1000));
  const view = (a: HerokuAuth) => ({
    id: a.id,
    description: a.description,
    scope: a.scope,
    created_at: a.created_at,
    updated_at: a.updated_at,
    // The access token is shown again when read (the CLI's `authorizations:info` relies on it).
    access_token: { id: `at-${a.id}`, token: a.token, expires_in: left(a) },
    refresh_token: null,
    client: null,
    grant: null,
    session: null,
    user: { id: 'user-1', email: 'dev@example.com', full_name: 'Dev' },
  });
  const caller = (req: ContractRequest): HerokuAuth | ContractResponse => {
    if (!/application\/vnd\.heroku\+json;\s*version=3/.test(String(req.headers.accept ?? ''))) return error(400, 'bad_request', 'Please specify a version: Accept: application/vnd.heroku+json; version=3');
    const a = auths.find((x) => x.token === bearer(req));
    if (!a) return unauthorized;
    const l = left(a);
    if (l !== null && l <= 0) return unauthorized;
    return a;
  };
  const isAuth = (x: HerokuAuth | ContractResponse): x is HerokuAuth => 'token' in x;
  const find = (me: HerokuAuth, id: string | undefined) => (id === '~' ? me : auths.find((a) => a.id === id));

  const routes: Route[] = [
    ['GET', /^\/account$/, (req) => { const me = caller(req); return isAuth(me) ? { status: 200, json: { id: 'user-1', email: 'dev@example.com' } } : me; }],
    [
      'GET',
      /^\/oauth\/authorizations$/,
      (req) => {
        const me = caller(req);
        if (!isAuth(me)) return me;
        const m = RANGE.exec(String(req.headers.range ?? 'id ..; max=200;').replace(/^id\s*/, ''));
        if (!m) return error(400, 'bad_request', 'Invalid Range header');
        const max = Number(m[3] ?? 200);
        if (max < 1 || max > 1000) return error(400, 'bad_request', 'Range max must be between 1 and 1000');
        const sorted = [...auths].sort((a, b) => a.id.localeCompare(b.id));
        const start = m[2] ? sorted.findIndex((a) => (m[1] === ']' ? a.id > m[2]! : a.id >= m[2]!)) : 0;
        const rest = start < 0 ? [] : sorted.slice(start);
        const page = rest.slice(0, max);
        if (rest.length > max) {
          return { status: 206, json: page.map(view), headers: { 'next-range': `]${page.at(-1)!.id}..; max=${max};`, 'content-range': `id ${page[0]!.id}..${page.at(-1)!.id}` } };
        }
        return { status: 200, json: page.map(view) };
      },
    ],
    [
      'POST',
      /^\/oauth\/authorizations$/,
      (req) => {
        const me = caller(req);
        if (!isAuth(me)) return me;
        const body = (req.body ?? {}) as { scope?: unknown; description?: unknown; expires_in?: unknown };
        if (!Array.isArray(body.scope) || body.scope.length === 0 || body.scope.some((s) => !SCOPES.includes(String(s)))) return error(422, 'invalid_params', 'Invalid scope');
        // The CLI sends expires_in as a string: accept a numeric string as the service appears to.
        const expires = body.expires_in === undefined || body.expires_in === null ? null : Number(body.expires_in);
        if (expires !== null && (!Number.isInteger(expires) || expires <= 0)) return error(422, 'invalid_params', 'expires_in must be a positive integer');
        const a = add(typeof body.description === 'string' ? body.description : '', body.scope.map(String), expires);
        return { status: 201, json: view(a) };
      },
    ],
    [
      'GET',
      /^\/oauth\/authorizations\/([^/]+)$/,
      (req) => {
        const me = caller(req);
        if (!isAuth(me)) return me;
        const a = find(me, req.params[0]);
        return a ? { status: 200, json: view(a) } : notFound;
      },
    ],
    [
      'POST',
      /^\/oauth\/authorizations\/([^/]+)\/actions\/regenerate-tokens$/,
      (req) => {
        const me = caller(req);
        if (!isAuth(me)) return me;
        const a = find(me, req.params[0]);
        if (!a) return notFound;
        // A new access token with the authorization's lifetime, counted from now; the old one stops working.
        a.token = newToken();
        a.issuedAt = Date.now();
        a.updated_at = new Date().toISOString();
        return { status: 200, json: view(a) };
      },
    ],
    [
      'DELETE',
      /^\/oauth\/authorizations\/([^/]+)$/,
      (req) => {
        const me = caller(req);
        if (!isAuth(me)) return me;
        const a = find(me, req.params[0]);
        if (!a) return notFound;
        auths.splice(auths.indexOf(a), 1);
        return { status: 200, json: view(a) };
      },
    ],
  ];
  const server = new ContractServer(routes);
  server.rateLimitAnswer = () => ({ status: 429, headers: { 'ratelimit-remaining': '0' }, json: { id: 'rate_limit', message: 'Your account reached the API rate limit. Please wait a few minutes before making new requests.' } });
  return { server, auths, adminToken: admin.token, add, seed: (n: number) => { for (let i = 0; i < n; i++) add(`seed-${i}`); } };
}
