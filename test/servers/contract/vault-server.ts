import { ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/** HashiCorp Vault token auth (PROVIDERS.md §3.6): X-Vault-Token, LIST accessors, lookup/revoke by accessor. */
interface VaultTok { token: string; accessor: string; display_name: string; policies: string[]; meta: Record<string, string> | null; creation_time: number; ttl: number; type: string; orphan: boolean }

export function createVaultServer(rootToken = 'hvs.root-admin-token-000000000') {
  const tokens: VaultTok[] = [];
  const denied: ContractResponse = { status: 403, json: { errors: ['permission denied'] } };
  const auth = (req: ContractRequest) => (req.headers['x-vault-token'] === rootToken ? null : denied);
  const expireTime = (t: VaultTok) => (t.ttl ? new Date((t.creation_time + t.ttl) * 1000).toISOString() : null);
  const view = (t: VaultTok) => ({
    accessor: t.accessor,
    creation_time: t.creation_time,
    creation_ttl: t.ttl,
    display_name: t.display_name,
    expire_time: expireTime(t),
    explicit_max_ttl: t.ttl,
    id: '',
    issue_time: new Date(t.creation_time * 1000).toISOString(),
    meta: t.meta,
    num_uses: 0,
    orphan: t.orphan,
    path: 'auth/token/create-orphan',
    policies: t.policies,
    renewable: true,
    ttl: t.ttl ? Math.max(0, t.creation_time + t.ttl - Math.floor(Date.now() / 1000)) : 0,
    type: t.type,
  });
  function add(body: Record<string, unknown>): VaultTok {
    const ttl = typeof body.ttl === 'string' ? parseInt(body.ttl, 10) : 0;
    const t: VaultTok = {
      token: randomSecret('hvs.', 12),
      accessor: randomSecret('', 12),
      display_name: `token-${String(body.display_name ?? '')}`.replace(/-$/, ''),
      policies: (body.policies as string[]) ?? ['default'],
      meta: (body.meta as Record<string, string>) ?? null,
      creation_time: Math.floor(Date.now() / 1000),
      ttl,
      type: String(body.type ?? 'service'),
      orphan: true,
    };
    tokens.push(t);
    return t;
  }
  const list = (req: ContractRequest): ContractResponse => {
    if (auth(req)) return denied;
    if (req.method === 'GET' && req.url.searchParams.get('list') !== 'true') return { status: 405, json: { errors: ['unsupported operation'] } };
    return { status: 200, json: { data: { keys: tokens.map((t) => t.accessor) } } };
  };
  const routes: Route[] = [
    ['LIST', /^\/v1\/auth\/token\/accessors\/?$/, list],
    ['GET', /^\/v1\/auth\/token\/accessors\/?$/, list],
    [
      'GET',
      /^\/v1\/auth\/token\/lookup-self$/,
      (req) => {
        if (!auth(req)) return { status: 200, json: { data: { accessor: 'root-accessor', display_name: 'root', policies: ['root'], creation_time: 0, expire_time: null, meta: null, type: 'service' } } };
        // An issued token looking itself up; revoked (gone) or past its TTL: 403 permission denied.
        const t = tokens.find((x) => x.token === req.headers['x-vault-token']);
        if (!t) return denied;
        const expiry = expireTime(t);
        if (expiry && Date.parse(expiry) <= Date.now()) return denied;
        return { status: 200, json: { data: { ...view(t), id: t.token } } };
      },
    ],
    [
      'POST',
      /^\/v1\/auth\/token\/lookup-accessor$/,
      (req) => {
        if (auth(req)) return denied;
        const t = tokens.find((x) => x.accessor === (req.body as { accessor?: string })?.accessor);
        return t ? { status: 200, json: { data: view(t) } } : { status: 400, json: { errors: ['invalid accessor'] } };
      },
    ],
    [
      'POST',
      /^\/v1\/auth\/token\/create(-orphan)?$/,
      (req) => {
        if (auth(req)) return denied;
        const t = add((req.body ?? {}) as Record<string, unknown>);
        return { status: 200, json: { auth: { client_token: t.token, accessor: t.accessor, policies: t.policies, token_policies: t.policies, metadata: t.meta, lease_duration: t.ttl, renewable: true, entity_id: '', token_type: t.type, orphan: true } } };
      },
    ],
    [
      'POST',
      /^\/v1\/auth\/token\/revoke-accessor$/,
      (req) => {
        if (auth(req)) return denied;
        const i = tokens.findIndex((x) => x.accessor === (req.body as { accessor?: string })?.accessor);
        if (i < 0) return { status: 400, json: { errors: ['invalid accessor'] } };
        tokens.splice(i, 1);
        return { status: 204 };
      },
    ],
  ];
  const server = new ContractServer(routes);
  return { server, tokens, rootToken, add, seed: (n: number) => { for (let i = 0; i < n; i++) add({ display_name: `seed-${i}`, meta: { token_vault_name: `seed-${i}` }, ttl: '3600s' }); } };
}
