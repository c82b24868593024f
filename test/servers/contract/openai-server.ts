import { bearer, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** OpenAI organization admin API (PROVIDERS.md §3.7): cursor pagination (after/limit/has_more), value only on create. */
interface Key { id: string; owner: string; name: string; value: string; created_at: number; last_used_at: number | null; expires_at: number | null }

export function createOpenaiServer(adminKey = 'sk-admin-0000000000000000000000000000') {
  const keys: Key[] = [];
  let n = 1;
  const invalidKey: ContractResponse = { status: 401, json: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
  const touch = (k: Key | undefined) => {
    if (k) k.last_used_at = Math.floor(Date.now() / 1000);
    return k;
  };
  const live = (k: Key) => k.expires_at === null || k.expires_at * 1000 > Date.now();
  // The configured admin key, or any admin key issued through the API.
  const auth = (req: ContractRequest): ContractResponse | null =>
    bearer(req) === adminKey || touch(keys.find((k) => k.owner === 'admin' && k.value === bearer(req) && live(k))) ? null : invalidKey;
  const view = (k: Key) => ({
    id: k.id,
    object: k.owner === 'admin' ? 'organization.admin_api_key' : 'organization.project.api_key',
    name: k.name,
    redacted_value: `${k.value.slice(0, 8)}...${k.value.slice(-4)}`,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    expires_at: k.expires_at,
    owner: { type: k.owner === 'admin' ? 'user' : 'service_account', name: k.name },
  });
  function add(owner: string, name: string, expiresIn?: number): Key {
    const now = Math.floor(Date.now() / 1000);
    const k = { id: `key_${(n++).toString().padStart(8, '0')}`, owner, name, value: randomSecret(owner === 'admin' ? 'sk-admin-' : 'sk-svcacct-'), created_at: now, last_used_at: null, expires_at: expiresIn ? now + expiresIn : null };
    keys.push(k);
    return k;
  }
  const page = (owner: string) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const limit = Math.min(100, Math.max(1, Number(req.url.searchParams.get('limit') ?? 20)));
    const after = req.url.searchParams.get('after');
    const rows = keys.filter((k) => k.owner === owner);
    const start = after ? rows.findIndex((k) => k.id === after) + 1 : 0;
    const slice = rows.slice(start, start + limit);
    return { status: 200, json: { object: 'list', data: slice.map(view), first_id: slice[0]?.id ?? null, last_id: slice.at(-1)?.id ?? null, has_more: start + limit < rows.length } };
  };
  const del = (ownerOf: (req: ContractRequest) => string, idIndex: number) => (req: ContractRequest): ContractResponse => {
    const denied = auth(req);
    if (denied) return denied;
    const i = keys.findIndex((k) => k.owner === ownerOf(req) && k.id === req.params[idIndex]);
    if (i < 0) return { status: 404, json: { error: { message: 'No such key', type: 'invalid_request_error' } } };
    const [k] = keys.splice(i, 1);
    return { status: 200, json: { id: k!.id, object: 'organization.admin_api_key.deleted', deleted: true } };
  };
  const proj = (req: ContractRequest) => `project:${req.params[0]}`;
  const routes: Route[] = [
    [
      'GET',
      /^\/v1\/models$/,
      (req) => {
        const k = keys.find((x) => x.owner !== 'admin' && x.value === bearer(req) && live(x));
        if (!k) return invalidKey;
        touch(k);
        return { status: 200, json: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1700000000, owned_by: 'system' }] } };
      },
    ],
    ['GET', /^\/v1\/organization\/admin_api_keys$/, page('admin')],
    [
      'POST',
      /^\/v1\/organization\/admin_api_keys$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const name = (req.body as { name?: string })?.name;
        if (!name) return { status: 400, json: { error: { message: 'name is required', type: 'invalid_request_error' } } };
        const k = add('admin', name);
        return { status: 200, json: { ...view(k), value: k.value } };
      },
    ],
    ['DELETE', /^\/v1\/organization\/admin_api_keys\/([^/]+)$/, del(() => 'admin', 0)],
    ['GET', /^\/v1\/organization\/projects\/([^/]+)\/api_keys$/, (req) => page(proj(req))(req)],
    ['DELETE', /^\/v1\/organization\/projects\/([^/]+)\/api_keys\/([^/]+)$/, del(proj, 1)],
    [
      'POST',
      /^\/v1\/organization\/projects\/([^/]+)\/service_accounts$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const body = (req.body ?? {}) as { name?: string; expires_in_seconds?: number };
        if (!body.name) return { status: 400, json: { error: { message: 'name is required', type: 'invalid_request_error' } } };
        if (body.expires_in_seconds !== undefined && (body.expires_in_seconds < 1 || body.expires_in_seconds > 31_536_000)) {
          return { status: 400, json: { error: { message: 'expires_in_seconds out of range', type: 'invalid_request_error' } } };
        }
        const k = add(proj(req), body.name, body.expires_in_seconds);
        return { status: 200, json: { object: 'organization.project.service_account', id: `svc_${k.id}`, name: body.name, role: 'member', created_at: k.created_at, api_key: { object: 'organization.project.service_account.api_key', id: k.id, name: k.name, created_at: k.created_at, value: k.value, expires_at: k.expires_at } } };
      },
    ],
  ];
  const server = new ContractServer(routes);
  return { server, keys, adminKey, add, seed: (k: number, owner = 'admin') => { for (let i = 0; i < k; i++) add(owner, `seed-${i}`); } };
}
