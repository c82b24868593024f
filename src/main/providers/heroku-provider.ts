import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient } from './http/http-client';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { collectPages } from './pagination';
import { baseCapabilities, COMMON_PRESETS, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkFromFailure, checkWith, VALID } from './secret-check-support';

/** Heroku OAuth authorizations (PROVIDERS.md §4.4): Range/Next-Range pagination, regenerate-tokens. */
const SCOPES = ['global', 'identity', 'read', 'write', 'read-protected', 'write-protected'];
const ACCEPT = 'application/vnd.heroku+json; version=3';
const FIRST_RANGE = 'id ..; max=1000;';

const Authorization = z.lazy(() =>
  z.object({
    id: z.string(),
    description: z.string().nullish(),
    scope: z.array(z.string()).nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    access_token: z.object({ id: z.string().nullish(), token: z.string().nullish(), expires_in: z.number().nullish() }).loose().nullish(),
    client: z.object({ id: z.string().nullish(), name: z.string().nullish() }).loose().nullish(),
    user: z.object({ email: z.string().nullish() }).loose().nullish(),
  }),
);
type Authorization = z.infer<typeof Authorization>;

function toRemote(a: Authorization, now: Date): RemoteToken {
  const left = a.access_token?.expires_in;
  const expiresAt = typeof left === 'number' ? new Date(now.getTime() + left * 1000).toISOString() : null;
  return token({
    remoteId: a.id,
    name: a.description || a.client?.name || a.id,
    description: a.client?.name ? `OAuth client ${a.client.name}` : null,
    type: a.client ? 'client' : 'direct',
    scopes: a.scope ?? [],
    createdAt: a.created_at ?? null,
    expiresAt,
    // Heroku reports no last use. An access token past its life is refused even though the authorization stays.
    status: typeof left === 'number' && left <= 0 ? 'expired' : 'active',
  });
}

const withToken = (ctx: ProviderContext, secret: string): HttpClient => ctx.http.withHeaders({ authorization: `Bearer ${secret}`, accept: ACCEPT });
const authed = (ctx: ProviderContext) => withToken(ctx, requireSecret(ctx, 'API key'));
const now = (ctx: ProviderContext) => (ctx.now ? ctx.now() : new Date());

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const http = authed(ctx);
  const at = now(ctx);
  return collectPages<RemoteToken, string>({
    service: 'Heroku',
    first: FIRST_RANGE,
    fetch: async (range) => {
      const res = await http.request({ method: 'GET', path: '/oauth/authorizations', headers: { range }, schema: z.array(Authorization), what: 'listing authorizations', signal: ctx.signal });
      // 206 Partial Content + Next-Range until the last page, which answers 200.
      const next = res.status === 206 ? res.headers.get('next-range') : null;
      return { items: res.data.map((a) => toRemote(a, at)), next: next || null };
    },
  });
}

async function getAuthorization(ctx: ProviderContext, id: string): Promise<Authorization> {
  return (await authed(ctx).request({ method: 'GET', path: `/oauth/authorizations/${encodeURIComponent(id)}`, schema: Authorization, what: 'reading an authorization', signal: ctx.signal })).data;
}

export const herokuProvider: Provider = {
  kind: 'heroku',
  label: 'Heroku',
  capabilities: {
    ...baseCapabilities,
    renew: 'regenerate',
    expiry: 'seconds',
    expiryPresets: COMMON_PRESETS,
    scopes: SCOPES,
    notes: [
      'Tokens are OAuth authorizations; the name is the authorization\'s description.',
      'Regenerate issues a new access token for the same authorization; the old one stops working at once.',
      'Heroku reports no last use. It allows 4,500 requests per hour per account.',
    ],
  },
  fields: {
    baseUrl: 'optional',
    defaultBaseUrl: 'https://api.heroku.com',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'API key (heroku auth:token, scope global)',
    tokenPageUrl: 'optional',
  },
  // 4,500 requests per hour, refilled continuously (about 75 a minute).
  rateLimit: { perSecond: 1, burst: 20 },

  async verify(ctx) {
    const res = await authed(ctx).request({ method: 'GET', path: '/account', schema: z.object({ email: z.string() }).loose(), what: 'checking the API key', signal: ctx.signal });
    return { account: res.data.email };
  },

  async checkSecret(ctx, secret) {
    const http = withToken(ctx, secret);
    try {
      const res = await http.request({ method: 'GET', path: '/oauth/authorizations/~', schema: Authorization, what: 'checking a token', signal: ctx.signal });
      const left = res.data.access_token?.expires_in;
      return typeof left === 'number' && left <= 0 ? { state: 'invalid', reason: 'expired' } : VALID;
    } catch (e) {
      // A token that is not an OAuth authorization (an older API key) has no "~": try the account instead.
      if (!isRemoteFailure(e) || e.info.status !== 404) return checkFromFailure(e);
      return checkWith(() => http.request({ method: 'GET', path: '/account', schema: z.object({ email: z.string() }).loose(), what: 'checking a token', signal: ctx.signal }), () => VALID);
    }
  },

  list: listTokens,

  async create(ctx, input) {
    const scopes = input.scopes?.length ? input.scopes : ['global'];
    const unknown = scopes.filter((s) => !SCOPES.includes(s));
    if (unknown.length > 0) throw new AppFailure('invalid-argument', `Heroku scopes are ${SCOPES.join(', ')} (not "${unknown.join('", "')}").`);
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const body = { scope: scopes, description: input.name, ...(seconds ? { expires_in: seconds } : {}) };
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await authed(ctx).request({ method: 'POST', path: '/oauth/authorizations', json: body, schema: Authorization, what: `creating authorization "${input.name}"`, idempotent: false, signal: ctx.signal });
        const secret = res.data.access_token?.token;
        if (!secret) throw new RemoteFailure('unexpected-response', 'Heroku created the authorization but sent no access token.', { maybeApplied: true });
        return { token: toRemote(res.data, now(ctx)), secret };
      },
      () => listTokens(ctx),
      // Heroku shows an authorization's access token again when read one by one (as `heroku authorizations:info` does).
      { recover: async (t) => (await getAuthorization(ctx, t.remoteId)).access_token?.token ?? null },
    );
  },

  async renew(ctx, remoteId) {
    const res = await authed(ctx).request({
      method: 'POST',
      path: `/oauth/authorizations/${encodeURIComponent(remoteId)}/actions/regenerate-tokens`,
      schema: Authorization,
      what: 'regenerating an access token',
      idempotent: false,
      signal: ctx.signal,
    });
    const secret = res.data.access_token?.token;
    if (!secret) throw new RemoteFailure('unexpected-response', 'Heroku regenerated the authorization but sent no access token.', { maybeApplied: true });
    return { token: toRemote(res.data, now(ctx)), secret };
  },

  async revoke(ctx, remoteId) {
    await authed(ctx).request({ method: 'DELETE', path: `/oauth/authorizations/${encodeURIComponent(remoteId)}`, schema: z.unknown(), what: 'revoking an authorization', signal: ctx.signal });
  },
};
