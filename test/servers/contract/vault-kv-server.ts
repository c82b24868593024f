import { ContractServer, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * HashiCorp Vault KV version 2 (PROVIDERS.md 4.5; hashicorp/vault `website/content/api-docs/secret/kv/kv-v2.mdx`):
 * versions, check-and-set (cas 0 = create only, mismatch = 400, mandatory when cas_required), soft delete (the
 * latest version reads as 404 while its number still counts), max_versions, policies per token.
 */
interface Version {
  data: Record<string, unknown> | null;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

interface KvSecret {
  versions: Map<number, Version>;
  current: number;
  casRequired: boolean;
  maxVersions: number;
}

export function createVaultKvServer(tokens = { root: 'hvs.kv-root-000000000000000', reader: 'hvs.kv-reader-00000000000000' }, mounts = ['secret', 'kv/team']) {
  const store = new Map<string, KvSecret>();
  const denied: ContractResponse = { status: 403, json: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };
  const can = (req: ContractRequest, write: boolean) => req.headers['x-vault-token'] === tokens.root || (!write && req.headers['x-vault-token'] === tokens.reader);

  /** Splits /v1/<mount>/<kind>/<path> on a known mount, as Vault's router does. */
  function parse(pathname: string): { mount: string; kind: string; path: string } | null {
    for (const m of [...mounts].sort((a, b) => b.length - a.length)) {
      const prefix = `/v1/${m}/`;
      if (!pathname.startsWith(prefix)) continue;
      const rest = pathname.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) return null;
      return { mount: m, kind: rest.slice(0, slash), path: decodeURIComponent(rest.slice(slash + 1)) };
    }
    return null;
  }
  const noRoute = (req: ContractRequest): ContractResponse => ({ status: 404, json: { errors: [`no handler for route "${req.url.pathname.slice(4)}". route entry not found.`] } });
  const metadataOf = (v: Version, n: number) => ({ created_time: v.created_time, custom_metadata: null, deletion_time: v.deletion_time, destroyed: v.destroyed, version: n });

  const handle = (req: ContractRequest): ContractResponse => {
    const at = parse(req.url.pathname);
    if (!at || !at.path) return noRoute(req);
    const write = req.method !== 'GET';
    if (!can(req, write)) return denied;
    const id = `${at.mount}/${at.path}`;
    const secret = store.get(id);
    if (at.kind === 'data' && req.method === 'GET') {
      if (!secret) return { status: 404, json: { errors: [] } };
      const n = Number(req.url.searchParams.get('version') ?? secret.current) || secret.current;
      const v = secret.versions.get(n);
      if (!v) return { status: 404, json: { errors: [] } };
      if (v.deletion_time || v.destroyed) return { status: 404, json: { data: { data: null, metadata: metadataOf(v, n) } } };
      return { status: 200, json: { request_id: crypto.randomUUID(), data: { data: v.data, metadata: metadataOf(v, n) } } };
    }
    if (at.kind === 'data' && (req.method === 'POST' || req.method === 'PUT')) {
      const body = (req.body ?? {}) as { data?: unknown; options?: { cas?: unknown } };
      if (!body.data || typeof body.data !== 'object' || Array.isArray(body.data)) return { status: 400, json: { errors: ['no data provided'] } };
      const cas = body.options?.cas;
      const s = secret ?? { versions: new Map(), current: 0, casRequired: false, maxVersions: 10 };
      if (s.casRequired && cas === undefined) return { status: 400, json: { errors: ['check-and-set parameter required for this call'] } };
      if (cas !== undefined && cas !== s.current) return { status: 400, json: { errors: ['check-and-set parameter did not match the current version'] } };
      s.current += 1;
      const v: Version = { data: body.data as Record<string, unknown>, created_time: new Date().toISOString(), deletion_time: '', destroyed: false };
      s.versions.set(s.current, v);
      for (const n of [...s.versions.keys()]) if (n <= s.current - s.maxVersions) s.versions.delete(n);
      store.set(id, s);
      return { status: 200, json: { data: metadataOf(v, s.current) } };
    }
    if (at.kind === 'data' && req.method === 'DELETE') {
      const v = secret?.versions.get(secret.current);
      if (v) v.deletion_time = new Date().toISOString();
      return { status: 204 };
    }
    if (at.kind === 'metadata' && req.method === 'GET') {
      if (!secret) return { status: 404, json: { errors: [] } };
      const versions = Object.fromEntries([...secret.versions].map(([n, v]) => [String(n), { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed }]));
      return { status: 200, json: { data: { current_version: secret.current, oldest_version: Math.min(...secret.versions.keys()), max_versions: secret.maxVersions, cas_required: secret.casRequired, custom_metadata: null, versions } } };
    }
    if (at.kind === 'metadata' && req.method === 'POST') {
      const body = (req.body ?? {}) as { cas_required?: unknown; max_versions?: unknown };
      const s = secret ?? { versions: new Map(), current: 0, casRequired: false, maxVersions: 10 };
      if (typeof body.cas_required === 'boolean') s.casRequired = body.cas_required;
      if (typeof body.max_versions === 'number' && body.max_versions > 0) s.maxVersions = body.max_versions;
      store.set(id, s);
      return { status: 204 };
    }
    return noRoute(req);
  };
  const any = /^\/v1\/.+/;
  const routes: Route[] = ['GET', 'POST', 'PUT', 'DELETE'].map((m) => [m, any, handle]);
  const server = new ContractServer(routes);
  return {
    server,
    tokens,
    /** The latest live data of a secret (tests only). */
    dataOf: (mount: string, path: string) => {
      const s = store.get(`${mount}/${path}`);
      const v = s?.versions.get(s.current);
      return v && !v.deletion_time ? v.data : undefined;
    },
    versionOf: (mount: string, path: string) => store.get(`${mount}/${path}`)?.current ?? 0,
  };
}
