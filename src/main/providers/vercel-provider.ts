import { z } from 'zod';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { collectPages } from './pagination';
import { baseCapabilities, COMMON_PRESETS, requestedLifetime, requireSecret, statusFromExpiry, token } from './provider-support';
import { createOnce } from './create-once';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, REFUSED, VALID } from './secret-check-support';

/** Vercel user tokens (PROVIDERS.md §4.2): ms timestamps, `until` cursor pagination, no update. */
const PAGE_SIZE = 100;

const AuthToken = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    type: z.string().nullish(),
    prefix: z.string().nullish(),
    suffix: z.string().nullish(),
    createdAt: z.number(),
    activeAt: z.number().nullish(),
    expiresAt: z.number().nullish(),
    leakedAt: z.number().nullish(),
  }),
);
type AuthToken = z.infer<typeof AuthToken>;

const TokenPage = z.lazy(() =>
  z.object({
    tokens: z.array(AuthToken),
    pagination: z.object({ count: z.number().nullish(), next: z.union([z.number(), z.string()]).nullish(), prev: z.union([z.number(), z.string()]).nullish() }).nullish(),
  }),
);

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined || ms <= 0 ? null : new Date(ms).toISOString());

function toRemote(t: AuthToken, now: Date): RemoteToken {
  const expiresAt = iso(t.expiresAt);
  return token({
    remoteId: t.id,
    name: t.name,
    masked: t.prefix || t.suffix ? `${t.prefix ?? ''}…${t.suffix ?? ''}` : null,
    type: t.type ?? null,
    createdAt: iso(t.createdAt),
    expiresAt,
    // activeAt is "most recently used"; one equal to createdAt is the creation itself, not a use.
    lastUsedAt: t.activeAt && t.activeAt > t.createdAt ? iso(t.activeAt) : null,
    // A token Vercel found leaked is revoked by Vercel.
    status: t.leakedAt ? 'revoked' : statusFromExpiry(expiresAt, now),
  });
}

const authed = (ctx: ProviderContext) => ctx.http.withHeaders({ authorization: `Bearer ${requireSecret(ctx, 'access token')}` });
const now = (ctx: ProviderContext) => (ctx.now ? ctx.now() : new Date());

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const http = authed(ctx);
  const at = now(ctx);
  return collectPages<RemoteToken, string>({
    service: 'Vercel',
    first: '',
    fetch: async (until) => {
      const res = await http.request({ method: 'GET', path: '/v6/user/tokens', query: { limit: PAGE_SIZE, until: until || undefined }, schema: TokenPage, what: 'listing tokens', signal: ctx.signal });
      const next = res.data.pagination?.next;
      return { items: res.data.tokens.map((t) => toRemote(t, at)), next: next === null || next === undefined || next === '' ? null : String(next) };
    },
  });
}

export const vercelProvider: Provider = {
  kind: 'vercel',
  label: 'Vercel',
  capabilities: {
    ...baseCapabilities,
    expiry: 'date',
    expiryPresets: COMMON_PRESETS,
    lastUsed: true,
    notes: [
      'Creating tokens needs a classic token with full account scope; team, project and CLI-login tokens are refused.',
      'No rotate: Token Vault rotates by creating a new token, then revoking the old one once you confirm.',
    ],
  },
  fields: {
    baseUrl: 'optional',
    defaultBaseUrl: 'https://api.vercel.com',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'Access token (classic, full account)',
    tokenPageUrl: 'optional',
    options: { teamId: 'Team id new tokens are scoped to (default: your personal account)' },
  },
  // Vercel publishes per-endpoint limits only in its dashboard; stay gentle.
  rateLimit: { perSecond: 2, burst: 10 },

  async verify(ctx) {
    try {
      const res = await authed(ctx).request({ method: 'GET', path: '/v5/user/tokens/current', schema: z.object({ token: AuthToken }), what: 'checking the access token', signal: ctx.signal });
      return { account: `token ${res.data.token.name}` };
    } catch (e) {
      // Vercel answers a wrong or revoked token with 403 "Not authorized", not 401.
      if (isRemoteFailure(e) && e.info.status === 403) throw new RemoteFailure('bad-credential', 'Vercel refused the access token. It may be wrong, expired or revoked: update it in the workspace settings.', e.info);
      throw e;
    }
  },

  async checkSecret(ctx, secret) {
    return checkWith(
      () => ctx.http.withHeaders({ authorization: `Bearer ${secret}` }).request({ method: 'GET', path: '/v5/user/tokens/current', schema: z.object({ token: AuthToken }), what: 'checking a token', signal: ctx.signal }),
      (res) => (toRemote(res.data.token, now(ctx)).status === 'active' ? VALID : { state: 'invalid', reason: 'expired' }),
      // Vercel answers a missing or bad token with 403 "Not authorized" (one third-party note says 401): alike.
      { 403: REFUSED },
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const body = { name: input.name, ...(seconds ? { expiresAt: now(ctx).getTime() + seconds * 1000 } : {}) };
    const teamId = ctx.workspace.options.teamId;
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await authed(ctx).request({
          method: 'POST',
          path: '/v3/user/tokens',
          query: { teamId: teamId || undefined },
          json: body,
          schema: z.object({ token: AuthToken, bearerToken: z.string().nullish() }),
          what: `creating token "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        if (!res.data.bearerToken) throw new RemoteFailure('unexpected-response', 'Vercel created the token but sent no secret.', { maybeApplied: true });
        return { token: toRemote(res.data.token, now(ctx)), secret: res.data.bearerToken };
      },
      () => listTokens(ctx),
    );
  },

  async revoke(ctx, remoteId) {
    await authed(ctx).request({ method: 'DELETE', path: `/v3/user/tokens/${encodeURIComponent(remoteId)}`, schema: z.unknown(), what: 'deleting a token', signal: ctx.signal });
  },
};
