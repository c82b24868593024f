import { bearer, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * Vercel user tokens (PROVIDERS.md §4.2, vercel/sdk src/models/authtoken.ts, vercel/vercel packages/cli tokens):
 * ms timestamps, newest first with an `until` cursor, the bearer only in the create answer, `{error:{code, message}}`
 * errors, 403 for a bad token, and 429 with `error.limit` and X-RateLimit-* instead of Retry-After.
 */
export interface VercelRow {
  id: string;
  name: string;
  type: 'authentication-token' | 'oauth2-token';
  secret: string;
  createdAt: number;
  activeAt: number;
  expiresAt?: number;
  teamId?: string;
}

const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): ContractResponse => ({ status, json: { error: { code, message, ...extra } } });
const forbidden = error(403, 'forbidden', 'Not authorized', { invalidToken: true });

export function createVercelServer(adminToken = randomSecret('', 12)) {
  const tokens: VercelRow[] = [];
  let n = 0;
  // Distinct creation times: the `until` cursor is a timestamp, and two tokens of the same millisecond would be
  // split across a page boundary on the real service too.
  let clock = 0;
  const tick = () => (clock = Math.max(clock + 1, Date.now()));
  const view = (t: VercelRow) => ({
    id: t.id,
    name: t.name,
    type: t.type,
    origin: 'manual',
    scopes: [{ type: t.teamId ? 'team' : 'user', ...(t.teamId ? { teamId: t.teamId } : {}), origin: 'manual', createdAt: t.createdAt, ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}) }],
    createdAt: t.createdAt,
    activeAt: t.activeAt,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
  });
  function add(name: string, options: Partial<VercelRow> = {}): VercelRow {
    const at = options.createdAt ?? tick();
    const row: VercelRow = { id: `tok_${(++n).toString(36).padStart(8, '0')}`, name, type: 'authentication-token', secret: randomSecret('', 12), createdAt: at, activeAt: at, ...options };
    tokens.push(row);
    return row;
  }
  add('admin', { secret: adminToken });
  const live = (t: VercelRow) => t.expiresAt === undefined || t.expiresAt > Date.now();
  /** The caller's token, touched (activeAt) as the real service does on every use. */
  const caller = (req: ContractRequest): VercelRow | ContractResponse => {
    const t = tokens.find((x) => x.secret === bearer(req));
    if (!t || !live(t)) return forbidden;
    t.activeAt = Date.now();
    return t;
  };
  const isRow = (x: VercelRow | ContractResponse): x is VercelRow => 'secret' in x;
  const byId = (self: VercelRow, id: string | undefined) => (id === 'current' ? self : tokens.find((t) => t.id === id));

  const routes: Route[] = [
    [
      'GET',
      /^\/v6\/user\/tokens$/,
      (req) => {
        const me = caller(req);
        if (!isRow(me)) return me;
        const limit = Number(req.url.searchParams.get('limit') ?? 20);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'bad_request', 'Invalid request: `limit` should be <= 100.');
        const until = req.url.searchParams.get('until');
        const sorted = [...tokens].sort((a, b) => b.createdAt - a.createdAt).filter((t) => until === null || t.createdAt < Number(until));
        const page = sorted.slice(0, limit);
        const more = sorted.length > limit;
        return { status: 200, json: { tokens: page.map(view), pagination: { count: page.length, next: more ? page.at(-1)!.createdAt : null, prev: page[0]?.createdAt ?? null } } };
      },
    ],
    [
      'GET',
      /^\/v5\/user\/tokens\/([^/]+)$/,
      (req) => {
        const me = caller(req);
        if (!isRow(me)) return me;
        const t = byId(me, req.params[0]);
        return t ? { status: 200, json: { token: view(t) } } : error(404, 'not_found', 'Token not found');
      },
    ],
    [
      'POST',
      /^\/v3\/user\/tokens$/,
      (req) => {
        const me = caller(req);
        if (!isRow(me)) return me;
        if (me.type !== 'authentication-token') return error(403, 'forbidden', 'Only user authentication tokens can be used to create new tokens.');
        const body = (req.body ?? {}) as { name?: unknown; expiresAt?: unknown };
        if (typeof body.name !== 'string' || body.name.length === 0) return error(400, 'bad_request', 'Invalid request: missing required property `name`.');
        if (body.expiresAt !== undefined && (typeof body.expiresAt !== 'number' || body.expiresAt <= Date.now())) return error(400, 'bad_request', 'Invalid request: `expiresAt` should be a future timestamp in milliseconds.');
        const teamId = req.url.searchParams.get('teamId') ?? undefined;
        const row = add(body.name, { ...(typeof body.expiresAt === 'number' ? { expiresAt: body.expiresAt } : {}), ...(teamId ? { teamId } : {}) });
        return { status: 200, json: { token: view(row), bearerToken: row.secret } };
      },
    ],
    [
      'DELETE',
      /^\/v3\/user\/tokens\/([^/]+)$/,
      (req) => {
        const me = caller(req);
        if (!isRow(me)) return me;
        const t = byId(me, req.params[0]);
        if (!t) return error(404, 'not_found', 'Token not found');
        tokens.splice(tokens.indexOf(t), 1);
        return { status: 200, json: { tokenId: t.id } };
      },
    ],
  ];
  const server = new ContractServer(routes);
  server.rateLimitAnswer = (wait) => {
    const resetMs = Date.now() + wait * 1000;
    const reset = Math.ceil(resetMs / 1000);
    return {
      status: 429,
      headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      json: { error: { code: 'rate_limited', message: 'Rate limit exceeded', limit: { remaining: 0, reset, resetMs, total: 100 } } },
    };
  };
  return { server, tokens, adminToken, add, seed: (k: number) => {
      // Seeded tokens were made over the past hours, a second apart (earliest first).
      const start = Date.now() - k * 1000 - 60_000;
      for (let i = 0; i < k; i++) add(`seed-${i}`, { createdAt: start + i * 1000 });
    },
  };
}
