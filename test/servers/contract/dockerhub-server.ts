import { randomUUID } from 'node:crypto';
import { bearer, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * Docker Hub personal access tokens (PROVIDERS.md §4.1, docker/docs content/reference/api/hub/latest.yaml):
 * `/v2/auth/token` bearers that live 10 minutes, 201 creates with the secret once, `next`-URL pagination,
 * PATCH is_active, 204 deletes, `{detail, message}` errors and a 429 that carries either retry header.
 */
export interface HubRow {
  uuid: string;
  user: string;
  token_label: string;
  scopes: string[];
  is_active: boolean;
  created_at: string;
  last_used: string | null;
  expires_at: string | null;
  secret: string;
}

const SCOPES = ['repo:admin', 'repo:write', 'repo:read', 'repo:public_read'];
const err = (status: number, message: string, detail?: string): ContractResponse => ({ status, json: { errinfo: null, ...(detail ? { detail } : {}), message } });
const unauthorized = err(401, 'unauthorized', 'Incorrect authentication credentials');
/** Docker Hub writes times with microseconds: "2021-07-20T12:00:00.000000Z". */
const hubTime = (ms = Date.now()) => new Date(ms).toISOString().replace(/Z$/, '000Z');

export function createDockerhubServer(user = 'dockeruser', password = 'hub-Passw0rd-1') {
  const tokens: HubRow[] = [];
  const bearers = new Map<string, { user: string; via: 'password' | 'pat'; exp: number }>();
  /** The wait style of a 429: the docs site's Retry-After seconds, or the API reference's X-Retry-After unix time. */
  const state = {
    retryStyle: 'x-retry-after' as 'x-retry-after' | 'retry-after',
    bearerTtlMs: 10 * 60_000,
    logins: 0,
    /** A broken server: every page links to one more page (`new`) or back to itself (`same`). */
    paginate: 'normal' as 'normal' | 'forever' | 'same',
  };

  const usable = (t: HubRow) => t.is_active && (t.expires_at === null || Date.parse(t.expires_at) > Date.now());
  const view = (t: HubRow, secret: string) => ({
    uuid: t.uuid,
    client_id: 'HUB',
    creator_ip: '127.0.0.1',
    creator_ua: 'token-vault-test',
    created_at: t.created_at,
    last_used: t.last_used,
    generated_by: 'manual',
    is_active: t.is_active,
    token: secret,
    token_label: t.token_label,
    scopes: t.scopes,
    expires_at: t.expires_at,
  });
  function add(label: string, scopes: string[] = ['repo:read'], expiresAt: string | null = null): HubRow {
    const row: HubRow = { uuid: randomUUID(), user, token_label: label, scopes, is_active: true, created_at: hubTime(), last_used: null, expires_at: expiresAt, secret: randomSecret('dckr_pat_', 14) };
    tokens.push(row);
    return row;
  }
  /** Admin calls need a bearer from a password login: Docker documents that a PAT cannot administer the account. */
  const admin = (req: ContractRequest): ContractResponse | null => {
    const b = bearers.get(bearer(req) ?? '');
    if (!b || b.exp <= Date.now()) return unauthorized;
    if (b.via === 'pat') return err(403, 'forbidden', 'Personal access tokens cannot manage access tokens');
    return null;
  };
  const byId = (id: string | undefined) => tokens.find((t) => t.uuid === id);
  const origin = (req: ContractRequest) => `http://${req.headers.host}`;

  const routes: Route[] = [
    [
      'POST',
      /^\/v2\/auth\/token$/,
      (req) => {
        const body = (req.body ?? {}) as { identifier?: unknown; secret?: unknown };
        if (typeof body.identifier !== 'string' || typeof body.secret !== 'string') return { status: 400, json: { fields: { identifier: ['required'], secret: ['required'] }, text: 'identifier and secret are required' } };
        if (body.identifier !== user) return unauthorized;
        let via: 'password' | 'pat';
        if (body.secret === password) via = 'password';
        else {
          const pat = tokens.find((t) => t.secret === body.secret);
          // Inactive, expired and deleted tokens are refused alike.
          if (!pat || !usable(pat)) return unauthorized;
          pat.last_used = hubTime();
          via = 'pat';
        }
        state.logins++;
        const jwt = `eyJ${randomSecret('', 24)}`;
        bearers.set(jwt, { user, via, exp: Date.now() + state.bearerTtlMs });
        return { status: 200, json: { access_token: jwt } };
      },
    ],
    [
      'POST',
      /^\/v2\/access-tokens$/,
      (req) => {
        const denied = admin(req);
        if (denied) return denied;
        const body = (req.body ?? {}) as { token_label?: unknown; scopes?: unknown; expires_at?: unknown };
        const label = typeof body.token_label === 'string' ? body.token_label : '';
        if (label.length < 1 || label.length > 100) return { status: 400, json: { fields: { token_label: ['Ensure this field has between 1 and 100 characters.'] }, text: 'invalid token_label' } };
        if (!Array.isArray(body.scopes) || body.scopes.length === 0 || body.scopes.some((s) => !SCOPES.includes(String(s)))) {
          return { status: 400, json: { fields: { scopes: ['Invalid scopes.'] }, text: 'invalid scopes' } };
        }
        let expiresAt: string | null = null;
        if (body.expires_at !== undefined) {
          const at = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : NaN;
          if (Number.isNaN(at) || at <= Date.now()) return { status: 400, json: { fields: { expires_at: ['Must be a future date-time.'] }, text: 'invalid expires_at' } };
          expiresAt = hubTime(at);
        }
        const row = add(label, body.scopes.map(String), expiresAt);
        return { status: 201, json: view(row, row.secret) };
      },
    ],
    [
      'GET',
      /^\/v2\/access-tokens$/,
      (req) => {
        const denied = admin(req);
        if (denied) return denied;
        const page = Math.max(1, Number(req.url.searchParams.get('page') ?? 1));
        const size = Math.min(100, Math.max(1, Number(req.url.searchParams.get('page_size') ?? 10)));
        const mine = tokens.filter((t) => t.user === user);
        const slice = mine.slice((page - 1) * size, page * size);
        const link = (p: number) => `${origin(req)}/v2/access-tokens?page=${p}&page_size=${size}`;
        if (state.paginate !== 'normal') {
          const ghost = { ...view({ ...tokens[0]!, uuid: randomUUID(), token_label: `ghost-${page}` }, '') };
          return { status: 200, json: { count: null, next: link(state.paginate === 'forever' ? page + 1 : page), previous: null, active_count: 0, results: [ghost] } };
        }
        return {
          status: 200,
          json: {
            count: mine.length,
            next: page * size < mine.length ? link(page + 1) : null,
            previous: page > 1 ? link(page - 1) : null,
            active_count: mine.filter((t) => t.is_active).length,
            // The older spec's empty string for the secret in lists.
            results: slice.map((t) => view(t, '')),
          },
        };
      },
    ],
    ['GET', /^\/v2\/access-tokens\/([^/]+)$/, (req) => admin(req) ?? (byId(req.params[0]) ? { status: 200, json: view(byId(req.params[0])!, '***') } : err(404, 'not found', 'Not found.'))],
    [
      'PATCH',
      /^\/v2\/access-tokens\/([^/]+)$/,
      (req) => {
        const denied = admin(req);
        if (denied) return denied;
        const row = byId(req.params[0]);
        if (!row) return err(404, 'not found', 'Not found.');
        const body = (req.body ?? {}) as { token_label?: unknown; is_active?: unknown };
        if (body.is_active !== undefined && typeof body.is_active !== 'boolean') return { status: 400, json: { fields: { is_active: ['Must be a valid boolean.'] }, text: 'invalid is_active' } };
        if (body.token_label !== undefined && (typeof body.token_label !== 'string' || body.token_label.length < 1 || body.token_label.length > 100)) {
          return { status: 400, json: { fields: { token_label: ['Ensure this field has between 1 and 100 characters.'] }, text: 'invalid token_label' } };
        }
        if (typeof body.is_active === 'boolean') row.is_active = body.is_active;
        if (typeof body.token_label === 'string') row.token_label = body.token_label;
        return { status: 200, json: view(row, '***') };
      },
    ],
    [
      'DELETE',
      /^\/v2\/access-tokens\/([^/]+)$/,
      (req) => {
        const denied = admin(req);
        if (denied) return denied;
        const i = tokens.findIndex((t) => t.uuid === req.params[0]);
        if (i < 0) return err(404, 'not found', 'Not found.');
        tokens.splice(i, 1);
        return { status: 204 };
      },
    ],
  ];
  const server = new ContractServer(routes);
  server.rateLimitAnswer = (wait) => {
    const resetAt = Math.ceil(Date.now() / 1000) + wait;
    const limits = { 'x-ratelimit-limit': '180', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) };
    return { status: 429, headers: { ...limits, ...(state.retryStyle === 'retry-after' ? { 'retry-after': String(wait) } : { 'x-retry-after': String(resetAt) }) }, json: { errinfo: null, message: 'too many requests' } };
  };
  return { server, tokens, user, password, state, add, bearers, seed: (n: number) => { for (let i = 0; i < n; i++) add(`seed-${i}`); } };
}
