import { randomUUID } from 'node:crypto';
import { ContractServer, randomSecret, type ContractRequest, type ContractResponse, type Route } from './contract-server';

/**
 * Datadog key management v2 (PROVIDERS.md §4.3, DataDog/datadog-api-client-typescript KeyManagementApi): JSON:API
 * bodies, `{errors:[string]}`, DD-API-KEY + DD-APPLICATION-KEY on every call, page[size] <= 100 and 0-based
 * page[number], the full key on create and on GET one (never in a list; app keys not even on GET in One-Time-Read
 * orgs), validate endpoints, and X-RateLimit-* with a reset in seconds.
 */
export interface DdKey {
  kind: 'api' | 'app';
  id: string;
  name: string;
  key: string;
  created_at: string;
  modified_at: string;
  date_last_used: string | null;
  scopes: string[] | null;
}

const errors = (status: number, ...messages: string[]): ContractResponse => ({ status, json: { errors: messages } });
const forbidden = errors(403, 'Forbidden');
const hex = (bytes: number) => randomSecret('', bytes);

export function createDatadogServer() {
  const keys: DdKey[] = [];
  const state = { oneTimeRead: false, apiKeyLimit: 50 };
  const now = () => new Date().toISOString().replace(/Z$/, '+00:00');
  function add(kind: 'api' | 'app', name: string, scopes: string[] | null = null): DdKey {
    const k: DdKey = { kind, id: randomUUID(), name, key: hex(kind === 'api' ? 16 : 20), created_at: now(), modified_at: now(), date_last_used: null, scopes: kind === 'app' ? scopes : null };
    keys.push(k);
    return k;
  }
  const adminApi = add('api', 'admin api key');
  const adminApp = add('app', 'admin app key');
  const jsonType = (kind: 'api' | 'app') => (kind === 'api' ? 'api_keys' : 'application_keys');
  const partial = (k: DdKey) => ({
    type: jsonType(k.kind),
    id: k.id,
    attributes: k.kind === 'api' ? { name: k.name, last4: k.key.slice(-4), created_at: k.created_at, modified_at: k.modified_at, category: 'default', remote_config_read_enabled: false } : { name: k.name, last4: k.key.slice(-4), created_at: k.created_at, scopes: k.scopes },
  });
  const full = (k: DdKey, withKey: boolean) => {
    const p = partial(k);
    return { ...p, attributes: { ...p.attributes, ...(withKey ? { key: k.key } : {}), ...(k.kind === 'api' ? { date_last_used: k.date_last_used } : {}) } };
  };
  const header = (req: ContractRequest, name: string) => String(req.headers[name] ?? '');
  const apiKeyOf = (value: string) => keys.find((k) => k.kind === 'api' && k.key === value);
  const appKeyOf = (value: string) => keys.find((k) => k.kind === 'app' && k.key === value);
  const auth = (req: ContractRequest): ContractResponse | null => {
    const api = apiKeyOf(header(req, 'dd-api-key'));
    const app = appKeyOf(header(req, 'dd-application-key'));
    if (!api || !app) return forbidden;
    api.date_last_used = now();
    return null;
  };

  const collection = (kind: 'api' | 'app'): Route[] => {
    const base = kind === 'api' ? '\\/api\\/v2\\/api_keys' : '\\/api\\/v2\\/current_user\\/application_keys';
    const one = new RegExp(`^${base}\\/([^/]+)$`);
    const find = (id: string | undefined) => keys.find((k) => k.kind === kind && k.id === id);
    return [
      [
        'GET',
        new RegExp(`^${base}$`),
        (req) => {
          const denied = auth(req);
          if (denied) return denied;
          const size = Number(req.url.searchParams.get('page[size]') ?? 10);
          const number = Number(req.url.searchParams.get('page[number]') ?? 0);
          if (!Number.isInteger(size) || size < 1 || size > 100) return errors(400, 'page[size] must be between 1 and 100');
          if (!Number.isInteger(number) || number < 0) return errors(400, 'page[number] must be a positive integer');
          const filter = req.url.searchParams.get('filter');
          const rows = keys.filter((k) => k.kind === kind && (!filter || k.name.includes(filter)));
          return { status: 200, json: { data: rows.slice(number * size, (number + 1) * size).map(partial), meta: { page: { total_filtered_count: rows.length } } } };
        },
      ],
      [
        'POST',
        new RegExp(`^${base}$`),
        (req) => {
          const denied = auth(req);
          if (denied) return denied;
          const data = (req.body as { data?: { type?: unknown; attributes?: { name?: unknown; scopes?: unknown } } } | undefined)?.data;
          if (!data || data.type !== jsonType(kind)) return errors(400, `data.type must be ${jsonType(kind)}`);
          if (typeof data.attributes?.name !== 'string' || !data.attributes.name) return errors(400, 'attributes.name is required');
          if (kind === 'api' && keys.filter((k) => k.kind === 'api').length >= state.apiKeyLimit) return errors(400, `An organization may have at most ${state.apiKeyLimit} API keys`);
          const scopes = Array.isArray(data.attributes.scopes) ? data.attributes.scopes.map(String) : null;
          const k = add(kind, data.attributes.name, scopes);
          return { status: 201, json: { data: full(k, true) } };
        },
      ],
      ['GET', one, (req) => auth(req) ?? (find(req.params[0]) ? { status: 200, json: { data: full(find(req.params[0])!, kind === 'api' || !state.oneTimeRead) } } : errors(404, 'Not found'))],
      [
        'PATCH',
        one,
        (req) => {
          const denied = auth(req);
          if (denied) return denied;
          const k = find(req.params[0]);
          if (!k) return errors(404, 'Not found');
          const data = (req.body as { data?: { type?: unknown; id?: unknown; attributes?: { name?: unknown } } } | undefined)?.data;
          if (!data || data.type !== jsonType(kind) || data.id !== k.id) return errors(400, 'data.id must match the id in the path');
          if (typeof data.attributes?.name !== 'string' || !data.attributes.name) return errors(400, 'attributes.name is required');
          k.name = data.attributes.name;
          k.modified_at = now();
          return { status: 200, json: { data: full(k, kind === 'api' || !state.oneTimeRead) } };
        },
      ],
      [
        'DELETE',
        one,
        (req) => {
          const denied = auth(req);
          if (denied) return denied;
          const k = find(req.params[0]);
          if (!k) return errors(404, 'Not found');
          keys.splice(keys.indexOf(k), 1);
          return { status: 204 };
        },
      ],
    ];
  };

  const routes: Route[] = [
    [
      'GET',
      /^\/api\/v1\/validate$/,
      (req) => {
        const api = apiKeyOf(header(req, 'dd-api-key'));
        if (!api) return forbidden;
        api.date_last_used = now();
        return { status: 200, json: { valid: true } };
      },
    ],
    ['GET', /^\/api\/v2\/validate_keys$/, (req) => auth(req) ?? { status: 200, json: { status: 'ok' } }],
    ...collection('api'),
    ...collection('app'),
  ];
  const server = new ContractServer(routes);
  server.rateLimitAnswer = (wait) => ({
    status: 429,
    headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-period': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(wait), 'x-ratelimit-name': 'api_keys' },
    json: { errors: ['Too many requests'] },
  });
  return {
    server,
    keys,
    state,
    add,
    adminSecret: `${adminApi.key}:${adminApp.key}`,
    adminApi,
    adminApp,
    seed: (n: number, kind: 'api' | 'app' = 'app') => {
      for (let i = 0; i < n; i++) add(kind, `seed-${kind}-${i}`);
    },
  };
}
