import { ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** GitLab /api/v4 access tokens (PROVIDERS.md §3.2): offset pagination with x-next-page, rotate, 204 deletes. */
export interface GitlabTokenRow {
  id: number;
  owner: string; // 'pat' | 'project:ID' | 'group:ID'
  name: string;
  description: string;
  revoked: boolean;
  created_at: string;
  scopes: string[];
  user_id: number;
  last_used_at: string | null;
  expires_at: string | null;
  access_level?: number;
  /** The secret it was issued with (for /personal_access_tokens/self); never listed. */
  secret?: string;
}

export function createGitlabServer(adminToken = 'glpat-admin-secret-000000') {
  const tokens: GitlabTokenRow[] = [];
  let nextId = 1;
  const today = () => new Date().toISOString().slice(0, 10);
  const active = (t: GitlabTokenRow) => !t.revoked && (t.expires_at === null || t.expires_at > today());
  const view = (t: GitlabTokenRow) => {
    const { owner: _o, secret: _s, ...rest } = t;
    return { ...rest, active: active(t) };
  };
  const auth = (req: ContractRequest): ContractResponse | null =>
    req.headers['private-token'] === adminToken || req.headers.authorization === `Bearer ${adminToken}` ? null : { status: 401, json: { message: '401 Unauthorized' } };

  function add(owner: string, body: Record<string, unknown>): GitlabTokenRow {
    const row: GitlabTokenRow = {
      id: nextId++,
      owner,
      name: String(body.name),
      description: String(body.description ?? ''),
      revoked: false,
      created_at: new Date().toISOString(),
      scopes: (body.scopes as string[]) ?? [],
      user_id: 1,
      last_used_at: null,
      expires_at: (body.expires_at as string | undefined) ?? null,
      ...(owner === 'pat' ? {} : { access_level: Number(body.access_level ?? 40) }),
    };
    tokens.push(row);
    return row;
  }

  const list = (owner: string) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const perPage = Math.min(100, Number(req.url.searchParams.get('per_page') ?? 20));
    const page = Number(req.url.searchParams.get('page') ?? 1);
    const rows = tokens.filter((t) => t.owner === owner);
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    const hasNext = page * perPage < rows.length;
    return {
      status: 200,
      json: slice.map(view),
      headers: { 'x-total': String(rows.length), 'x-page': String(page), 'x-per-page': String(perPage), 'x-next-page': hasNext ? String(page + 1) : '' },
    };
  };
  const create = (ownerOf: (req: ContractRequest) => string) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!body.name) return { status: 400, json: { error: 'name is missing' } };
    if (!Array.isArray(body.scopes) || body.scopes.length === 0) return { status: 400, json: { error: 'scopes is missing' } };
    const row = add(ownerOf(req), body);
    row.secret = randomSecret('glpat-');
    return { status: 201, json: { ...view(row), token: row.secret } };
  };
  const find = (owner: string, id: string) => tokens.find((t) => t.owner === owner && String(t.id) === id);
  const rotate = (ownerOf: (req: ContractRequest) => string, idIndex: number) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const owner = ownerOf(req);
    const old = find(owner, req.params[idIndex]!);
    if (!old) return { status: 404, json: { message: '404 Not Found' } };
    if (old.revoked) {
      // Reuse detection: rotating a revoked token revokes the whole family.
      for (const t of tokens) if (t.owner === owner && t.name === old.name) t.revoked = true;
      return { status: 401, json: { message: '401 Unauthorized' } };
    }
    old.revoked = true;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const row = add(owner, { name: old.name, description: old.description, scopes: old.scopes, expires_at: body.expires_at ?? week });
    row.secret = randomSecret('glpat-');
    return { status: 200, json: { ...view(row), token: row.secret } };
  };
  const remove = (ownerOf: (req: ContractRequest) => string, idIndex: number) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const row = find(ownerOf(req), req.params[idIndex]!);
    if (!row) return { status: 404, json: { message: '404 Not Found' } };
    row.revoked = true;
    return { status: 204 };
  };
  const proj = (req: ContractRequest) => `project:${req.params[0]}`;
  const grp = (req: ContractRequest) => `group:${req.params[0]}`;
  /** A token reading itself (lib/api/personal_access_tokens/self_information.rb): any scope, any owner kind. */
  const self = (req: ContractRequest): ContractResponse => {
    const sent = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const row = sent ? tokens.find((t) => t.secret === sent) : undefined;
    if (!row) return { status: 401, json: { message: '401 Unauthorized' } };
    if (row.revoked) return { status: 401, json: { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authenticate.' } };
    if (!active(row)) return { status: 401, json: { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' } };
    row.last_used_at = new Date().toISOString();
    return { status: 200, json: view(row) };
  };
  const routes: Route[] = [
    ['GET', /^\/api\/v4\/personal_access_tokens\/self$/, self],
    ['GET', /^\/api\/v4\/user$/, (req) => auth(req) ?? { status: 200, json: { id: 1, username: 'root' } }],
    ['GET', /^\/api\/v4\/personal_access_tokens$/, list('pat')],
    ['POST', /^\/api\/v4\/users\/(\d+)\/personal_access_tokens$/, create(() => 'pat')],
    ['POST', /^\/api\/v4\/personal_access_tokens\/(\d+)\/rotate$/, rotate(() => 'pat', 0)],
    ['DELETE', /^\/api\/v4\/personal_access_tokens\/(\d+)$/, remove(() => 'pat', 0)],
    ['GET', /^\/api\/v4\/projects\/([^/]+)\/access_tokens$/, (req) => list(proj(req))(req)],
    ['POST', /^\/api\/v4\/projects\/([^/]+)\/access_tokens$/, create(proj)],
    ['POST', /^\/api\/v4\/projects\/([^/]+)\/access_tokens\/(\d+)\/rotate$/, rotate(proj, 1)],
    ['DELETE', /^\/api\/v4\/projects\/([^/]+)\/access_tokens\/(\d+)$/, remove(proj, 1)],
    ['GET', /^\/api\/v4\/groups\/([^/]+)\/access_tokens$/, (req) => list(grp(req))(req)],
    ['POST', /^\/api\/v4\/groups\/([^/]+)\/access_tokens$/, create(grp)],
    ['POST', /^\/api\/v4\/groups\/([^/]+)\/access_tokens\/(\d+)\/rotate$/, rotate(grp, 1)],
    ['DELETE', /^\/api\/v4\/groups\/([^/]+)\/access_tokens\/(\d+)$/, remove(grp, 1)],
  ];
  const server = new ContractServer(routes);
  return { server, tokens, adminToken, add, seed: (n: number, owner = 'pat') => { for (let i = 0; i < n; i++) add(owner, { name: `seed-${i}`, scopes: ['read_api'] }); } };
}
