import { basic, ContractServer, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * Gitea / Forgejo Actions secrets (PROVIDERS.md 4.5; go-gitea/gitea `routers/api/v1/api.go` addActionsRoutes,
 * `routers/api/v1/shared/action.go`, `services/secrets/validation.go`, `modules/structs/secret.go`): PUT creates
 * (201) or updates (204), names are checked and stored upper-cased, values never come back, lists page with
 * X-Total-Count. Repo secrets need repo admin, org secrets org owner, user secrets the user.
 */
interface StoredSecret {
  name: string;
  data: string;
  created_at: string;
  description: string;
}

// services/secrets/validation.go (Gitea 1.23): letters, digits, _; not a leading digit; no GITEA_/GITHUB_; not CI
const validName = (n: string) => /^[A-Z_][A-Z0-9_]*$/i.test(n) && !/^GIT(EA|HUB)_/i.test(n) && n.toUpperCase() !== 'CI';

export function createGiteaSecretsServer(opts = { user: 'gitea-admin', password: 'gitea-pass-123', token: 'gitea-token-0123456789abcdef', reader: 'gitea-reader' }) {
  const repos = new Map<string, Map<string, StoredSecret>>([['team/app', new Map()]]);
  const orgs = new Map<string, Map<string, StoredSecret>>([['team', new Map()]]);
  const users = new Map<string, Map<string, StoredSecret>>([[opts.user, new Map()]]);
  const maxLimit = 30; // Gitea caps `limit` at MAX_RESPONSE_ITEMS (default 50); lower here, so clients must follow X-Total-Count

  function who(req: ContractRequest): string | null {
    const b = basic(req);
    if (b) return b[0] === opts.user && b[1] === opts.password ? opts.user : b[0] === opts.reader && b[1] === opts.password ? opts.reader : null;
    const tok = /^token (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return tok === opts.token ? opts.user : null;
  }

  type Resolve = (req: ContractRequest, user: string) => Map<string, StoredSecret> | ContractResponse;
  const route = (resolve: Resolve, handle: (req: ContractRequest, secrets: Map<string, StoredSecret>, name: string) => ContractResponse) => (req: ContractRequest): ContractResponse => {
    const user = who(req);
    if (!user) return { status: 401, json: { message: 'token is required' } };
    const secrets = resolve(req, user);
    if (!(secrets instanceof Map)) return secrets;
    return handle(req, secrets, req.params.at(-1) ?? '');
  };
  const notFound: ContractResponse = { status: 404, json: { message: "The target couldn't be found.", errors: [] } };
  const repo: Resolve = (req, user) => {
    const s = repos.get(`${req.params[0]}/${req.params[1]}`);
    if (!s) return notFound;
    return user === opts.user ? s : { status: 403, json: { message: 'user should be an owner or a collaborator with admin write of a repository' } };
  };
  const org: Resolve = (req, user) => {
    const s = orgs.get(req.params[0]!);
    if (!s) return notFound;
    return user === opts.user ? s : { status: 403, json: { message: 'must be an organization owner' } };
  };
  const self: Resolve = (_req, user) => users.get(user) ?? new Map();

  const put = (req: ContractRequest, secrets: Map<string, StoredSecret>, name: string): ContractResponse => {
    if (!validName(name)) return { status: 400, json: { message: 'invalid variable or secret name' } };
    const body = (req.body ?? {}) as { data?: unknown; description?: unknown };
    if (typeof body.data !== 'string' || body.data === '') return { status: 422, json: { message: '[Data]: Required' } };
    const key = name.toUpperCase();
    const had = secrets.get(key);
    secrets.set(key, { name: key, data: body.data, created_at: had?.created_at ?? new Date().toISOString(), description: typeof body.description === 'string' ? body.description : (had?.description ?? '') });
    return { status: had ? 204 : 201 };
  };
  const list = (req: ContractRequest, secrets: Map<string, StoredSecret>): ContractResponse => {
    const limit = Math.min(maxLimit, Number(req.url.searchParams.get('limit') ?? maxLimit));
    const page = Math.max(1, Number(req.url.searchParams.get('page') ?? 1));
    const all = [...secrets.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { status: 200, json: all.slice((page - 1) * limit, page * limit).map((s) => ({ name: s.name, description: s.description, created_at: s.created_at })), headers: { 'x-total-count': String(all.length) } };
  };
  const remove = (_req: ContractRequest, secrets: Map<string, StoredSecret>, name: string): ContractResponse => (secrets.delete(name.toUpperCase()) ? { status: 204 } : notFound);

  const scopes: [RegExp, RegExp, Resolve][] = [
    [/^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/actions\/secrets$/, /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/actions\/secrets\/([^/]+)$/, repo],
    [/^\/api\/v1\/orgs\/([^/]+)\/actions\/secrets$/, /^\/api\/v1\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)$/, org],
    [/^\/api\/v1\/user\/actions\/secrets$/, /^\/api\/v1\/user\/actions\/secrets\/([^/]+)$/, self],
  ];
  const routes: Route[] = scopes.flatMap(([collection, item, resolve]): Route[] => [
    ['GET', collection, route(resolve, (req, s) => list(req, s))],
    ['PUT', item, route(resolve, put)],
    ['DELETE', item, route(resolve, remove)],
  ]);
  const server = new ContractServer(routes);
  /** What a workflow run would receive (tests only: the API never returns it). */
  const valueOf = (scope: 'repo' | 'org' | 'user', owner: string, name: string) => (scope === 'repo' ? repos : scope === 'org' ? orgs : users).get(owner)?.get(name.toUpperCase())?.data;
  return { server, opts, valueOf, seed: (owner: string, n: number) => { for (let i = 0; i < n; i++) repos.get(owner)!.set(`SEED_${String(i).padStart(3, '0')}`, { name: `SEED_${String(i).padStart(3, '0')}`, data: 'x', created_at: new Date().toISOString(), description: '' }); } };
}
