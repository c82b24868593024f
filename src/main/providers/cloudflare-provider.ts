import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient, RequestOptions } from './http/http-client';
import { RemoteFailure } from './http/remote-failure';
import { baseCapabilities, COMMON_PRESETS, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, EXPIRED, INACTIVE, VALID } from './secret-check-support';

const Policy = z.lazy(() => z.object({ effect: z.string(), permission_groups: z.array(z.object({ id: z.string() }).loose()), resources: z.record(z.string(), z.unknown()) }).loose());

const CfToken = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled', 'expired']),
    issued_on: z.string().nullish(),
    modified_on: z.string().nullish(),
    last_used_on: z.string().nullish(),
    expires_on: z.string().nullish(),
    not_before: z.string().nullish(),
    policies: z.array(Policy).nullish(),
    condition: z.unknown().optional(),
    value: z.string().optional(),
  }),
);
type CfToken = z.infer<typeof CfToken>;

/** Cloudflare wraps every answer: `success` false with `errors[]` even on some 200s. */
const Envelope = <T extends z.ZodType>(result: T) =>
  z.object({
    success: z.boolean(),
    errors: z.array(z.object({ code: z.number(), message: z.string() }).loose()),
    messages: z.array(z.unknown()).optional(),
    result: result,
    result_info: z.object({ page: z.number(), per_page: z.number(), count: z.number().optional(), total_count: z.number().optional(), total_pages: z.number().optional() }).nullish(),
  });

async function call<T extends z.ZodType>(http: HttpClient, opts: Omit<RequestOptions<unknown>, 'schema'>, result: T) {
  const res = await http.request({ ...opts, schema: Envelope(result) });
  if (!res.data.success) {
    const first = res.data.errors[0];
    // The service's words may echo what was sent: cut out the credentials before they reach a message.
    const said = first ? http.safeDetail(first.message, opts)?.slice(0, 120) : undefined;
    throw new RemoteFailure('unexpected-response', `Cloudflare refused ${opts.what}${first ? ` (error ${first.code}${said ? `: ${said}` : ''})` : ''}.`);
  }
  return res.data;
}

function toRemote(t: CfToken): RemoteToken {
  return token({
    remoteId: t.id,
    name: t.name,
    type: 'user',
    scopes: (t.policies ?? []).flatMap((p) => p.permission_groups.map((g) => g.id)),
    createdAt: t.issued_on ?? null,
    expiresAt: t.expires_on ?? null,
    lastUsedAt: t.last_used_on ?? null,
    status: t.status === 'disabled' ? 'inactive' : t.status,
  });
}

const authed = (ctx: ProviderContext) => ctx.http.withHeaders({ authorization: `Bearer ${requireSecret(ctx, 'API token')}` });

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const http = authed(ctx);
  return collectPages({
    service: 'Cloudflare',
    first: 1,
    fetch: async (page: number) => {
      const res = await call(http, { method: 'GET', path: '/user/tokens', query: { page, per_page: 50, direction: 'asc' }, what: 'listing API tokens', signal: ctx.signal }, z.array(CfToken));
      const info = res.result_info;
      const totalPages = info?.total_pages ?? (info?.total_count !== undefined ? Math.ceil(info.total_count / (info.per_page || 50)) : undefined);
      const last = totalPages !== undefined ? page >= totalPages : res.result.length < 50;
      return { items: res.result.map(toRemote), next: last ? null : page + 1 };
    },
  });
}

async function getToken(ctx: ProviderContext, id: string): Promise<CfToken> {
  return (await call(authed(ctx), { method: 'GET', path: `/user/tokens/${encodeURIComponent(id)}`, what: 'reading an API token', signal: ctx.signal }, CfToken)).result;
}

/** PUT replaces the whole token: send back what it has, with `change` applied (an undefined expires_on drops it; no status keeps it). */
async function replaceToken(ctx: ProviderContext, remoteId: string, change: { status?: string; expires_on?: string | undefined }, what: string): Promise<CfToken> {
  const current = await getToken(ctx, remoteId);
  const body = {
    name: current.name,
    policies: current.policies ?? [],
    condition: current.condition,
    expires_on: current.expires_on ?? undefined,
    not_before: current.not_before ?? undefined,
    ...change,
  };
  return (await call(authed(ctx), { method: 'PUT', path: `/user/tokens/${encodeURIComponent(remoteId)}`, json: body, what, signal: ctx.signal }, CfToken)).result;
}

export const cloudflareProvider: Provider = {
  kind: 'cloudflare',
  label: 'Cloudflare',
  capabilities: {
    ...baseCapabilities,
    renew: 'roll',
    // A roll changes the value only: the token keeps its expires_on.
    renewKeepsExpiry: true,
    activate: 'token',
    expiry: 'date',
    expiryPresets: COMMON_PRESETS,
    editExpiry: true,
    scopes: [],
    freeScopes: true,
    lastUsed: true,
    notes: [
      'Roll issues a new secret for the same token; the old one stops working at once.',
      'Scopes are permission group ids; resources default to every account of the user (option "resources", JSON).',
      'Cloudflare allows 1,200 requests per 5 minutes, then blocks every call for 5 minutes.',
    ],
  },
  fields: {
    baseUrl: 'required',
    defaultBaseUrl: 'https://api.cloudflare.com/client/v4',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'API token with "API Tokens Write"',
    tokenPageUrl: 'optional',
    options: { resources: 'JSON resources object for new tokens' },
  },
  // 1,200 requests per 5 minutes per user.
  rateLimit: { perSecond: 4, burst: 20 },

  async verify(ctx) {
    const res = await call(authed(ctx), { method: 'GET', path: '/user/tokens/verify', what: 'checking the API token', signal: ctx.signal }, z.object({ id: z.string(), status: z.string() }).loose());
    if (res.result.status !== 'active') throw new AppFailure('bad-credential', `The admin API token is ${res.result.status}. Activate it or use another one.`);
    return { account: `token ${res.result.id}` };
  },

  async checkSecret(ctx, secret) {
    // A disabled or expired token may still verify with 200: its status says whether it works.
    return checkWith(
      () => call(ctx.http.withHeaders({ authorization: `Bearer ${secret}` }), { method: 'GET', path: '/user/tokens/verify', what: 'checking a token', signal: ctx.signal }, z.object({ id: z.string(), status: z.string() }).loose()),
      (res) => (res.result.status === 'active' ? VALID : res.result.status === 'expired' ? EXPIRED : INACTIVE),
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    let resources: Record<string, unknown> = { 'com.cloudflare.api.account.*': '*' };
    if (ctx.workspace.options.resources) {
      try {
        resources = JSON.parse(ctx.workspace.options.resources) as Record<string, unknown>;
      } catch {
        throw new AppFailure('invalid-argument', 'The workspace option "resources" is not valid JSON.');
      }
    }
    const body = {
      name: input.name,
      policies: [{ effect: 'allow', permission_groups: (input.scopes ?? []).map((id) => ({ id })), resources }],
      ...(seconds ? { expires_on: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    };
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await call(authed(ctx), { method: 'POST', path: '/user/tokens', json: body, what: `creating token "${input.name}"`, idempotent: false, signal: ctx.signal }, CfToken);
        if (!res.result.value) throw new RemoteFailure('unexpected-response', 'Cloudflare created the token but sent no value.', { maybeApplied: true });
        return { token: toRemote(res.result), secret: res.result.value };
      },
      () => listTokens(ctx),
    );
  },

  async renew(ctx, remoteId) {
    const res = await call(authed(ctx), { method: 'PUT', path: `/user/tokens/${encodeURIComponent(remoteId)}/value`, json: {}, what: 'rolling a token', idempotent: false, signal: ctx.signal }, z.string());
    const after = await getToken(ctx, remoteId).catch(() => null);
    return { token: after ? toRemote(after) : token({ remoteId, name: remoteId }), secret: res.result };
  },

  async revoke(ctx, remoteId) {
    await call(authed(ctx), { method: 'DELETE', path: `/user/tokens/${encodeURIComponent(remoteId)}`, what: 'revoking a token', signal: ctx.signal }, z.unknown());
  },

  async setActive(ctx, remoteId, active) {
    await replaceToken(ctx, remoteId, { status: active ? 'active' : 'disabled' }, active ? 'activating a token' : 'deactivating a token');
  },

  async setExpiry(ctx, remoteId, expiresAt) {
    const expires_on = expiresAt === null ? undefined : new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return toRemote(await replaceToken(ctx, remoteId, { expires_on }, 'changing a token\'s expiry'));
  },
};
