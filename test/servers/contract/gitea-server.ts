import { basic, ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** Gitea /api/v1 user tokens (PROVIDERS.md §3.8): Basic auth only, page/limit + X-Total-Count, token_last_eight. */
interface GiteaTok { id: number; name: string; sha1: string; scopes: string[] }

export function createGiteaServer(user = 'gitea-admin', password = 'gitea-pass-123') {
  const tokens: GiteaTok[] = [];
  let n = 1;
  const auth = (req: ContractRequest): ContractResponse | null => {
    const b = basic(req);
    if (!b) return { status: 401, json: { message: 'token is required' } };
    return b[0] === user && b[1] === password ? null : { status: 401, json: { message: 'user does not exist or password is wrong' } };
  };
  const view = (t: GiteaTok) => ({ id: t.id, name: t.name, sha1: '', token_last_eight: t.sha1.slice(-8), scopes: t.scopes });
  function add(name: string, scopes: string[] = ['all']): GiteaTok {
    const t = { id: n++, name, sha1: randomSecret('', 20), scopes };
    tokens.push(t);
    return t;
  }
  const userMatches = (req: ContractRequest) => req.params[0] === user;
  const routes: Route[] = [
    [
      'GET',
      /^\/api\/v1\/user$/,
      (req) => {
        const me = { status: 200, json: { id: 1, login: user, email: `${user}@example.com` } };
        const sent = /^token (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (sent === undefined) return auth(req) ?? me;
        const t = tokens.find((x) => x.sha1 === sent);
        if (!t) return { status: 401, json: { message: 'user does not exist [uid: 0, name: ]' } };
        // A token works, but reading the user needs read:user (or all).
        if (!t.scopes.some((s) => s === 'all' || s === 'read:user' || s === 'write:user')) return { status: 403, json: { message: 'token does not have at least one of required scope(s): [read:user]' } };
        return me;
      },
    ],
    [
      'GET',
      /^\/api\/v1\/users\/([^/]+)\/tokens$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        if (!userMatches(req)) return { status: 403, json: { message: 'forbidden' } };
        const limit = Math.min(50, Number(req.url.searchParams.get('limit') ?? 30));
        const page = Number(req.url.searchParams.get('page') ?? 1);
        return { status: 200, json: tokens.slice((page - 1) * limit, page * limit).map(view), headers: { 'x-total-count': String(tokens.length) } };
      },
    ],
    [
      'POST',
      /^\/api\/v1\/users\/([^/]+)\/tokens$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const body = (req.body ?? {}) as { name?: string; scopes?: string[] };
        if (!body.name) return { status: 422, json: { message: '[Name]: Required' } };
        if (tokens.some((t) => t.name === body.name)) return { status: 400, json: { message: 'access token name has been used already' } };
        const t = add(body.name, body.scopes ?? []);
        return { status: 201, json: { id: t.id, name: t.name, sha1: t.sha1, token_last_eight: t.sha1.slice(-8), scopes: t.scopes } };
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/users\/([^/]+)\/tokens\/([^/]+)$/,
      (req) => {
        const denied = auth(req);
        if (denied) return denied;
        const key = req.params[1];
        const matches = tokens.filter((t) => String(t.id) === key || t.name === key);
        if (matches.length === 0) return { status: 404, json: { message: 'not found' } };
        if (matches.length > 1) return { status: 422, json: { message: 'multiple matches for token name' } };
        tokens.splice(tokens.indexOf(matches[0]!), 1);
        return { status: 204 };
      },
    ],
  ];
  const server = new ContractServer(routes);
  return { server, tokens, user, password, add, seed: (k: number) => { for (let i = 0; i < k; i++) add(`seed-${i}`); } };
}
