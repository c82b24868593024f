import { basic, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** Grafana service accounts and their tokens (PROVIDERS.md §3.3): Basic admin auth, SA-level isDisabled. */
interface Sa { id: number; name: string; login: string; orgId: number; isDisabled: boolean; role: string }
interface SaTok { id: number; sa: number; name: string; created: string; lastUsedAt: string | null; expiration: string | null; isRevoked: boolean; key: string }

export function createGrafanaServer(user = 'admin', password = 'grafana-admin-pass') {
  const accounts: Sa[] = [];
  const tokens: SaTok[] = [];
  let saId = 1;
  let tokId = 1;
  const auth = (req: ContractRequest): ContractResponse | null => {
    const b = basic(req);
    return b && b[0] === user && b[1] === password ? null : { status: 401, json: { message: 'Unauthorized' } };
  };
  const viewTok = (t: SaTok) => {
    const exp = t.expiration ? Date.parse(t.expiration) : null;
    const left = exp === null ? 0 : Math.max(0, Math.round((exp - Date.now()) / 1000));
    return { id: t.id, name: t.name, created: t.created, lastUsedAt: t.lastUsedAt, expiration: t.expiration, secondsUntilExpiration: left > 0 && left < 7 * 86400 ? left : 0, hasExpired: exp !== null && exp <= Date.now(), isRevoked: t.isRevoked };
  };
  function addSa(name: string, role = 'Viewer'): Sa {
    const sa = { id: saId++, name, login: `sa-${name.toLowerCase()}`, orgId: 1, isDisabled: false, role };
    accounts.push(sa);
    return sa;
  }
  function addToken(sa: Sa, name: string, secondsToLive = 0): SaTok {
    const t = { id: tokId++, sa: sa.id, name, created: new Date().toISOString(), lastUsedAt: null, expiration: secondsToLive ? new Date(Date.now() + secondsToLive * 1000).toISOString() : null, isRevoked: false, key: randomSecret('glsa_') };
    tokens.push(t);
    return t;
  }
  const sa = (id: string | undefined) => accounts.find((a) => String(a.id) === id);
  const routes: Route[] = [
    [
      'GET',
      /^\/api\/access-control\/user\/permissions$/,
      (req) => {
        const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const t = tokens.find((x) => x.key === key);
        if (!t || t.isRevoked || (t.expiration && Date.parse(t.expiration) <= Date.now())) return { status: 401, json: { message: 'Invalid API key' } };
        const owner = sa(String(t.sa));
        if (!owner || owner.isDisabled) return { status: 401, json: { message: 'service account is disabled' } };
        t.lastUsedAt = new Date().toISOString();
        return { status: 200, json: { 'dashboards:read': ['dashboards:*'], 'serviceaccounts:read': [] } };
      },
    ],
    [
      'GET',
      /^\/api\/serviceaccounts\/search$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const perPage = Number(req.url.searchParams.get('perpage') ?? 1000);
        const page = Number(req.url.searchParams.get('page') ?? 1);
        const slice = accounts.slice((page - 1) * perPage, page * perPage).map((a) => ({ ...a, tokens: tokens.filter((t) => t.sa === a.id).length }));
        return { status: 200, json: { totalCount: accounts.length, serviceAccounts: slice, page, perPage } };
      },
    ],
    [
      'POST',
      /^\/api\/serviceaccounts$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const body = (req.body ?? {}) as { name?: string; role?: string };
        if (!body.name) return { status: 400, json: { message: 'name is required' } };
        if (accounts.some((a) => a.name === body.name)) return { status: 409, json: { message: 'service account already exists' } };
        return { status: 201, json: addSa(body.name, body.role) };
      },
    ],
    [
      'PATCH',
      /^\/api\/serviceaccounts\/(\d+)$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const a = sa(req.params[0]);
        if (!a) return { status: 404, json: { message: 'service account not found' } };
        const body = (req.body ?? {}) as { isDisabled?: boolean; role?: string; name?: string };
        if (typeof body.isDisabled === 'boolean') a.isDisabled = body.isDisabled;
        if (body.role) a.role = body.role;
        if (body.name) a.name = body.name;
        return { status: 200, json: { message: 'Service account updated', id: a.id, name: a.name, serviceaccount: a } };
      },
    ],
    [
      'GET',
      /^\/api\/serviceaccounts\/(\d+)\/tokens$/,
      (req) => auth(req) ?? (sa(req.params[0]) ? { status: 200, json: tokens.filter((t) => String(t.sa) === req.params[0]).map(viewTok) } : { status: 404, json: { message: 'service account not found' } }),
    ],
    [
      'POST',
      /^\/api\/serviceaccounts\/(\d+)\/tokens$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const a = sa(req.params[0]);
        if (!a) return { status: 404, json: { message: 'service account not found' } };
        const body = (req.body ?? {}) as { name?: string; secondsToLive?: number };
        if (!body.name) return { status: 400, json: { message: 'name is required' } };
        if (tokens.some((t) => t.sa === a.id && t.name === body.name)) return { status: 409, json: { message: 'service account token with given name already exists in the organization' } };
        const t = addToken(a, body.name, body.secondsToLive ?? 0);
        return { status: 200, json: { id: t.id, name: t.name, key: t.key } };
      },
    ],
    [
      'DELETE',
      /^\/api\/serviceaccounts\/(\d+)\/tokens\/(\d+)$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const i = tokens.findIndex((t) => String(t.sa) === req.params[0] && String(t.id) === req.params[1]);
        if (i < 0) return { status: 404, json: { message: 'service account token not found' } };
        tokens.splice(i, 1);
        return { status: 200, json: { message: 'Service account token deleted' } };
      },
    ],
  ];
  const server = new ContractServer(routes);
  return { server, accounts, tokens, user, password, addSa, addToken };
}
