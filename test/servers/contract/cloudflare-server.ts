import { bearer, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** Cloudflare /client/v4 user tokens (PROVIDERS.md §3.4): envelope, page/per_page, roll, status. */
interface CfRow {
  id: string;
  name: string;
  status: 'active' | 'disabled' | 'expired';
  issued_on: string;
  modified_on: string;
  last_used_on: string | null;
  expires_on?: string;
  not_before?: string;
  policies: unknown[];
  condition?: unknown;
  value: string;
}

const ok = (result: unknown, extra: Record<string, unknown> = {}, status = 200): ContractResponse => ({ status, json: { success: true, errors: [], messages: [], result, ...extra } });
const err = (status: number, code: number, message: string): ContractResponse => ({ status, json: { success: false, errors: [{ code, message }], messages: [], result: null } });

export function createCloudflareServer(adminToken = 'cf-admin-token-0000000000000000000000000') {
  const tokens: CfRow[] = [];
  let n = 0;
  const view = ({ value: _v, ...t }: CfRow) => t;
  const auth = (req: ContractRequest) => (bearer(req) === adminToken ? null : err(401, 10000, 'Authentication error'));
  function add(body: Record<string, unknown>): CfRow {
    const now = new Date().toISOString();
    const row: CfRow = { id: `cf${(++n).toString().padStart(30, '0')}`, name: String(body.name), status: 'active', issued_on: now, modified_on: now, last_used_on: null, policies: (body.policies as unknown[]) ?? [], value: randomSecret('', 20) };
    if (body.expires_on) row.expires_on = String(body.expires_on);
    tokens.push(row);
    return row;
  }
  const byId = (id: string | undefined) => tokens.find((t) => t.id === id);
  const routes: Route[] = [
    [
      'GET',
      /^\/client\/v4\/user\/tokens\/verify$/,
      (req) => {
        if (!auth(req)) return ok({ id: 'admin', status: 'active' });
        // Any token may verify itself; a disabled or expired one still answers 200 with its status.
        const row = tokens.find((t) => t.value === bearer(req));
        if (!row) return err(401, 1000, 'Invalid API Token');
        const expired = row.expires_on !== undefined && Date.parse(row.expires_on) <= Date.now();
        row.last_used_on = new Date().toISOString();
        return ok({ id: row.id, status: expired ? 'expired' : row.status, ...(row.expires_on ? { expires_on: row.expires_on } : {}) });
      },
    ],
    [
      'GET',
      /^\/client\/v4\/user\/tokens$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const perPage = Math.min(50, Number(req.url.searchParams.get('per_page') ?? 20));
        const page = Number(req.url.searchParams.get('page') ?? 1);
        const slice = tokens.slice((page - 1) * perPage, page * perPage);
        return ok(slice.map(view), { result_info: { page, per_page: perPage, count: slice.length, total_count: tokens.length, total_pages: Math.ceil(tokens.length / perPage) } });
      },
    ],
    [
      'POST',
      /^\/client\/v4\/user\/tokens$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (!body.name || String(body.name).length > 120) return err(400, 1001, 'name is required (at most 120 characters)');
        if (!Array.isArray(body.policies) || body.policies.length === 0) return err(400, 1002, 'policies are required');
        if (tokens.filter((t) => t.status !== 'expired').length >= 50) return err(400, 1003, 'token quota reached');
        const row = add(body);
        return ok({ ...view(row), value: row.value });
      },
    ],
    ['GET', /^\/client\/v4\/user\/tokens\/([^/]+)$/, (req) => auth(req) ?? (byId(req.params[0]) ? ok(view(byId(req.params[0])!)) : err(404, 1003, 'Invalid token'))],
    [
      'PUT',
      /^\/client\/v4\/user\/tokens\/([^/]+)$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const row = byId(req.params[0]);
        if (!row) return err(404, 1003, 'Invalid token');
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (!body.name || !Array.isArray(body.policies)) return err(400, 1004, 'name and policies are required');
        row.name = String(body.name);
        row.policies = body.policies;
        if (body.status === 'active' || body.status === 'disabled') row.status = body.status;
        // PUT replaces the token: an expires_on left out removes the expiry.
        if (body.expires_on === undefined) delete row.expires_on;
        else row.expires_on = String(body.expires_on);
        row.modified_on = new Date().toISOString();
        return ok(view(row));
      },
    ],
    [
      'PUT',
      /^\/client\/v4\/user\/tokens\/([^/]+)\/value$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const row = byId(req.params[0]);
        if (!row) return err(404, 1003, 'Invalid token');
        row.value = randomSecret('', 24);
        return ok(row.value);
      },
    ],
    [
      'DELETE',
      /^\/client\/v4\/user\/tokens\/([^/]+)$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const i = tokens.findIndex((t) => t.id === req.params[0]);
        if (i < 0) return err(404, 1003, 'Invalid token');
        tokens.splice(i, 1);
        return ok({ id: req.params[0] });
      },
    ],
  ];
  const server = new ContractServer(routes, '/client/v4');
  return { server, tokens, adminToken, add, seed: (k: number) => { for (let i = 0; i < k; i++) add({ name: `seed-${i}`, policies: [{ effect: 'allow', permission_groups: [{ id: 'pg1' }], resources: {} }] }); } };
}
