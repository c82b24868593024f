import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient } from './http/http-client';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { collectPages } from './pagination';
import { baseCapabilities, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import type { Provider, ProviderContext, RemoteToken, SecretCheckHint } from './provider-types';
import { checkFromFailure, checkWith, NEEDS_SETTING, REFUSED, UNEXPECTED, VALID, type SecretCheck } from './secret-check-support';

/**
 * Datadog key management v2 (PROVIDERS.md §4.3). One workspace holds two kinds of key, told apart by token type:
 * API keys (send data) and the caller's application keys (call the API). JSON:API bodies, page[size]/page[number].
 */
type KeyKind = 'api' | 'app';
const TYPES = { api: 'api-key', app: 'application-key' } as const;
const PAGE_SIZE = 100;

const KIND: Record<KeyKind, { path: string; jsonType: string; label: string }> = {
  api: { path: '/api/v2/api_keys', jsonType: 'api_keys', label: 'API key' },
  app: { path: '/api/v2/current_user/application_keys', jsonType: 'application_keys', label: 'application key' },
};

const KeyAttributes = z.lazy(() =>
  z.object({
    name: z.string().nullish(),
    key: z.string().nullish(),
    last4: z.string().nullish(),
    created_at: z.string().nullish(),
    modified_at: z.string().nullish(),
    // API keys (full form, and list items where the service sends it); application keys in newer API versions.
    date_last_used: z.string().nullish(),
    last_used_at: z.string().nullish(),
    scopes: z.array(z.string()).nullish(),
  }),
);
const KeyData = z.lazy(() => z.object({ type: z.string(), id: z.string(), attributes: KeyAttributes }));
type KeyData = z.infer<typeof KeyData>;
const One = z.lazy(() => z.object({ data: KeyData }));
const Many = z.lazy(() => z.object({ data: z.array(KeyData), meta: z.object({ page: z.object({ total_filtered_count: z.number().nullish() }).loose().nullish() }).loose().nullish() }));

function parseRemoteId(remoteId: string): { kind: KeyKind; id: string } {
  const [kind, ...rest] = remoteId.split(':');
  const id = rest.join(':');
  if ((kind === 'api' || kind === 'app') && id) return { kind, id };
  throw new AppFailure('invalid-argument', `"${remoteId}" is not a Datadog key id Token Vault knows. Sync the workspace.`);
}

function toRemote(kind: KeyKind, k: KeyData): RemoteToken {
  const a = k.attributes;
  return token({
    remoteId: `${kind}:${k.id}`,
    name: a.name ?? k.id,
    masked: a.last4 ? `…${a.last4}` : null,
    type: TYPES[kind],
    scopes: a.scopes ?? [],
    createdAt: a.created_at ?? null,
    lastUsedAt: a.date_last_used ?? a.last_used_at ?? null,
  });
}

/** The admin credential is two keys: an API key and an application key, kept together in one secret field. */
export function datadogAdminKeys(raw: string): { apiKey: string; appKey: string } {
  const parts = raw.split(/[\s:,]+/).filter(Boolean);
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new AppFailure('invalid-argument', 'The Datadog admin credential is an API key and an application key separated by a colon (API_KEY:APPLICATION_KEY).');
  }
  return { apiKey: parts[0], appKey: parts[1] };
}

function authed(ctx: ProviderContext): HttpClient {
  const { apiKey, appKey } = datadogAdminKeys(requireSecret(ctx, 'API key and application key'));
  return ctx.http.withHeaders({ 'dd-api-key': apiKey, 'dd-application-key': appKey });
}

function kindForType(type: string | undefined): KeyKind {
  if (!type || type === TYPES.api || type === 'api') return 'api';
  if (type === TYPES.app || type === 'app') return 'app';
  throw new AppFailure('invalid-argument', `Datadog key types are ${TYPES.api} and ${TYPES.app} (not "${type}").`);
}

async function listKind(ctx: ProviderContext, kind: KeyKind): Promise<RemoteToken[]> {
  const http = authed(ctx);
  return collectPages<RemoteToken, number>({
    service: 'Datadog',
    first: 0,
    fetch: async (page) => {
      const res = await http.request({
        method: 'GET',
        path: KIND[kind].path,
        query: { 'page[size]': PAGE_SIZE, 'page[number]': page, sort: 'created_at' },
        schema: Many,
        what: `listing ${KIND[kind].label}s`,
        signal: ctx.signal,
      });
      const total = res.data.meta?.page?.total_filtered_count;
      const more = typeof total === 'number' ? (page + 1) * PAGE_SIZE < total : res.data.data.length === PAGE_SIZE;
      return { items: res.data.data.map((k) => toRemote(kind, k)), next: more ? page + 1 : null };
    },
  });
}

async function listAll(ctx: ProviderContext): Promise<RemoteToken[]> {
  return [...(await listKind(ctx, 'api')), ...(await listKind(ctx, 'app'))];
}

async function getKey(ctx: ProviderContext, kind: KeyKind, id: string): Promise<KeyData> {
  return (await authed(ctx).request({ method: 'GET', path: `${KIND[kind].path}/${encodeURIComponent(id)}`, schema: One, what: `reading a ${KIND[kind].label}`, signal: ctx.signal })).data.data;
}

/** Renames a key (PATCH with the id in both the path and the body, as the JSON:API contract wants). */
export async function renameDatadogKey(ctx: ProviderContext, remoteId: string, name: string): Promise<RemoteToken> {
  const { kind, id } = parseRemoteId(remoteId);
  const res = await authed(ctx).request({
    method: 'PATCH',
    path: `${KIND[kind].path}/${encodeURIComponent(id)}`,
    json: { data: { type: KIND[kind].jsonType, id, attributes: { name } } },
    schema: One,
    what: `renaming a ${KIND[kind].label}`,
    idempotent: true,
    signal: ctx.signal,
  });
  return toRemote(kind, res.data.data);
}

const validate = (http: HttpClient, ctx: ProviderContext) =>
  http.request({ method: 'GET', path: '/api/v1/validate', schema: z.object({ valid: z.boolean() }).loose(), what: 'checking an API key', signal: ctx.signal });

async function checkApiKey(ctx: ProviderContext, secret: string): Promise<SecretCheck> {
  // A bad API key gets 403 here, not 401.
  return checkWith(() => validate(ctx.http.withHeaders({ 'dd-api-key': secret }), ctx), (res) => (res.data.valid ? VALID : REFUSED), { 403: REFUSED });
}

async function checkAppKey(ctx: ProviderContext, secret: string): Promise<SecretCheck> {
  // An application key works only beside an API key: the workspace's own.
  const raw = ctx.workspace.adminSecret;
  let apiKey: string;
  try {
    apiKey = datadogAdminKeys(raw ?? '').apiKey;
  } catch {
    return NEEDS_SETTING;
  }
  try {
    const res = await ctx.http
      .withHeaders({ 'dd-api-key': apiKey, 'dd-application-key': secret })
      .request({ method: 'GET', path: '/api/v2/validate_keys', schema: z.object({ status: z.string() }).loose(), what: 'checking an application key', signal: ctx.signal });
    return res.data.status === 'ok' ? VALID : UNEXPECTED;
  } catch (e) {
    if (!isRemoteFailure(e) || (e.info.status !== 401 && e.info.status !== 403)) return checkFromFailure(e);
    // The refusal may be about either key: it is the application key's only if the API key still works.
    const api = await checkApiKey(ctx, apiKey);
    return api.state === 'valid' ? { state: 'invalid', reason: 'refused', status: e.info.status } : NEEDS_SETTING;
  }
}

function kindOfSecret(secret: string, hint: SecretCheckHint | undefined): KeyKind {
  if (hint?.type === TYPES.app || hint?.remoteId?.startsWith('app:')) return 'app';
  if (hint?.type === TYPES.api || hint?.remoteId?.startsWith('api:')) return 'api';
  // API keys are 32 hex characters, application keys 40.
  return secret.length === 40 ? 'app' : 'api';
}

export const datadogProvider: Provider = {
  kind: 'datadog',
  label: 'Datadog',
  capabilities: {
    ...baseCapabilities,
    types: [TYPES.api, TYPES.app],
    scopes: [],
    freeScopes: true,
    notes: [
      'Two kinds of key: API keys (to send data) and application keys (to call the API with your permissions). Pick one as the type.',
      'The admin credential is an API key and an application key with the api_keys_write and user_app_keys permissions, separated by a colon.',
      'Use the API address of your Datadog site, e.g. https://api.datadoghq.com (US1), https://api.datadoghq.eu (EU1), https://api.us3.datadoghq.com, https://api.us5.datadoghq.com, https://api.ap1.datadoghq.com, https://api.ddog-gov.com.',
      'Keys do not expire. No rotate: Token Vault rotates by creating a new key, then revoking the old one once you confirm.',
      'Scopes apply to application keys only (permission names, e.g. dashboards_read).',
    ],
  },
  fields: {
    baseUrl: 'required',
    defaultBaseUrl: 'https://api.datadoghq.com',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'API key and application key (API_KEY:APPLICATION_KEY)',
    tokenPageUrl: 'optional',
  },
  // Key management shares the org's API limits (X-RateLimit-*); stay well below them.
  rateLimit: { perSecond: 2, burst: 10 },

  async verify(ctx) {
    try {
      await authed(ctx).request({ method: 'GET', path: KIND.api.path, query: { 'page[size]': 1, 'page[number]': 0 }, schema: Many, what: 'checking the admin keys', signal: ctx.signal });
    } catch (e) {
      // Datadog answers wrong keys with 403 "Forbidden", the same as missing permissions: say both.
      if (isRemoteFailure(e) && e.info.status === 403) {
        throw new RemoteFailure('bad-credential', 'Datadog refused the admin keys. Check the API key and application key (API_KEY:APPLICATION_KEY), that the URL is your Datadog site, and that the application key may read and write API keys.', e.info);
      }
      throw e;
    }
    return { account: 'Datadog organization' };
  },

  async checkSecret(ctx, secret, hint) {
    return kindOfSecret(secret, hint) === 'app' ? checkAppKey(ctx, secret) : checkApiKey(ctx, secret);
  },

  list: listAll,

  async create(ctx, input) {
    if (input.expiresAt || (input.expiryPreset && input.expiryPreset !== 'never')) {
      throw new AppFailure('unsupported', 'Datadog keys cannot expire. Create it without an expiry and set a rotation policy instead.');
    }
    const kind = kindForType(input.type);
    if (kind === 'api' && input.scopes?.length) throw new AppFailure('invalid-argument', 'Datadog API keys have no scopes; scopes apply to application keys.');
    const attributes = { name: input.name, ...(kind === 'app' && input.scopes?.length ? { scopes: input.scopes } : {}) };
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await authed(ctx).request({
          method: 'POST',
          path: KIND[kind].path,
          json: { data: { type: KIND[kind].jsonType, attributes } },
          schema: One,
          what: `creating ${KIND[kind].label} "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        const secret = res.data.data.attributes.key;
        if (!secret) throw new RemoteFailure('unexpected-response', `Datadog created the ${KIND[kind].label} but sent no key.`, { maybeApplied: true });
        return { token: toRemote(kind, res.data.data), secret };
      },
      () => listKind(ctx, kind),
      // Datadog shows an API key again on GET, and an application key too unless the org is One-Time-Read.
      { recover: async (t) => (await getKey(ctx, kind, parseRemoteId(t.remoteId).id)).attributes.key ?? null },
    );
  },

  async revoke(ctx, remoteId) {
    const { kind, id } = parseRemoteId(remoteId);
    await authed(ctx).request({ method: 'DELETE', path: `${KIND[kind].path}/${encodeURIComponent(id)}`, what: `deleting a ${KIND[kind].label}`, signal: ctx.signal });
  },
};
