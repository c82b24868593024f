import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient } from './http/http-client';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { collectPages } from './pagination';
import { baseCapabilities, COMMON_PRESETS, requestedLifetime, requireSecret, requireUser, statusFromExpiry, token } from './provider-support';
import { createOnce } from './create-once';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, NEEDS_SETTING, VALID } from './secret-check-support';

/** Docker Hub personal access tokens (PROVIDERS.md §4.1). */
const SCOPES = ['repo:admin', 'repo:write', 'repo:read', 'repo:public_read'];
const PAGE_SIZE = 100;

const HubToken = z.lazy(() =>
  z.object({
    uuid: z.string(),
    token_label: z.string().nullish(),
    is_active: z.boolean().nullish(),
    created_at: z.string().nullish(),
    last_used: z.string().nullish(),
    expires_at: z.string().nullish(),
    scopes: z.array(z.string()).nullish(),
    generated_by: z.string().nullish(),
    // The secret on create; "***" (current docs) or "" (older spec) everywhere else.
    token: z.string().nullish(),
  }),
);
type HubToken = z.infer<typeof HubToken>;

const TokenPage = z.lazy(() => z.object({ count: z.number().nullish(), next: z.string().nullish(), results: z.array(HubToken) }));

/** The bearer Docker Hub hands out for a user name and password: a JWT that lives 10 minutes. */
export const DockerHubLogin = z.lazy(() => z.object({ jwt: z.string(), expiresAt: z.number() }));

function toRemote(t: HubToken, now: Date): RemoteToken {
  const expiresAt = t.expires_at ?? null;
  return token({
    remoteId: t.uuid,
    name: t.token_label ?? t.uuid,
    scopes: t.scopes ?? [],
    createdAt: t.created_at ?? null,
    expiresAt,
    lastUsedAt: t.last_used ?? null,
    status: t.is_active === false ? 'inactive' : statusFromExpiry(expiresAt, now),
  });
}

const now = (ctx: ProviderContext) => (ctx.now ? ctx.now() : new Date());

async function login(ctx: ProviderContext): Promise<string> {
  const user = requireUser(ctx, 'Docker ID');
  try {
    const res = await ctx.http.request({
      method: 'POST',
      path: '/v2/auth/token',
      json: { identifier: user, secret: requireSecret(ctx, 'password') },
      schema: z.object({ access_token: z.string() }),
      what: 'logging in',
      // A login creates nothing that lasts: safe to retry.
      idempotent: true,
      signal: ctx.signal,
    });
    // The JWT lives 10 minutes; renew a minute early.
    await ctx.login.set({ jwt: res.data.access_token, expiresAt: Date.now() + 9 * 60_000 });
    return res.data.access_token;
  } catch (e) {
    if (isRemoteFailure(e) && e.info.status === 401) {
      throw new RemoteFailure('bad-credential', `Docker Hub refused the Docker ID or password for "${user}". Fix them in the workspace settings.`, e.info);
    }
    throw e;
  }
}

/** Runs `fn` with a live bearer; a 401 on a stored one means it expired: log in once and run again. */
async function withLogin<T>(ctx: ProviderContext, fn: (http: HttpClient) => Promise<T>): Promise<T> {
  const stored = DockerHubLogin.safeParse(ctx.login.get());
  let fresh = !(stored.success && stored.data.expiresAt > Date.now());
  let jwt = stored.success && !fresh ? stored.data.jwt : await login(ctx);
  for (;;) {
    try {
      return await fn(ctx.http.withHeaders({ authorization: `Bearer ${jwt}` }));
    } catch (e) {
      if (!isRemoteFailure(e)) throw e;
      if (fresh && (e.info.status === 401 || e.info.status === 403)) {
        // Docker documents that a personal access token cannot do administrative work on the account.
        throw new RemoteFailure('bad-credential', 'Docker Hub logged in but refused to manage access tokens with this credential. A personal access token cannot manage tokens: use the account password.', e.info);
      }
      if (fresh || e.code !== 'bad-credential') throw e;
      fresh = true;
      jwt = await login(ctx);
    }
  }
}

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  return withLogin(ctx, async (http) => {
    const at = now(ctx);
    return collectPages<RemoteToken, string>({
      service: 'Docker Hub',
      first: `/v2/access-tokens?page=1&page_size=${PAGE_SIZE}`,
      fetch: async (path) => {
        const res = await http.request({ method: 'GET', path, schema: TokenPage, what: 'listing access tokens', signal: ctx.signal });
        return { items: res.data.results.map((t) => toRemote(t, at)), next: res.data.next || null };
      },
    });
  });
}

export const dockerhubProvider: Provider = {
  kind: 'dockerhub',
  label: 'Docker Hub',
  capabilities: {
    ...baseCapabilities,
    activate: 'token',
    expiry: 'date',
    expiryPresets: COMMON_PRESETS,
    scopes: SCOPES,
    lastUsed: true,
    notes: [
      'Managing tokens needs the account password: Docker Hub does not let a personal access token manage tokens.',
      'Choose one scope: a higher one includes the lower ones (repo:write includes repo:read).',
      'Deactivate switches a token off without deleting it; activate switches it back on.',
      'No rotate: Token Vault rotates by creating a new token, then revoking the old one once you confirm.',
    ],
  },
  fields: {
    baseUrl: 'optional',
    defaultBaseUrl: 'https://hub.docker.com',
    username: 'required',
    usernameLabel: 'Docker ID',
    adminSecret: 'required',
    adminSecretLabel: 'Password',
    tokenPageUrl: 'optional',
  },
  // Docker Hub limits API calls per minute (X-RateLimit-Limit); the figure is not published.
  rateLimit: { perSecond: 2, burst: 10 },

  async verify(ctx) {
    await withLogin(ctx, (http) => http.request({ method: 'GET', path: '/v2/access-tokens', query: { page: 1, page_size: 1 }, schema: TokenPage, what: 'checking the login', signal: ctx.signal }));
    return { account: requireUser(ctx, 'Docker ID') };
  },

  async checkSecret(ctx, secret) {
    const user = ctx.workspace.username;
    if (!user) return NEEDS_SETTING;
    // Exchanging the token for a bearer is the one call a token may always make; inactive, expired and deleted
    // tokens are all refused with 401.
    return checkWith(
      () => ctx.http.request({ method: 'POST', path: '/v2/auth/token', json: { identifier: user, secret }, schema: z.object({ access_token: z.string() }), what: 'checking a token', idempotent: true, signal: ctx.signal }),
      () => VALID,
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const scopes = input.scopes?.length ? input.scopes : ['repo:read'];
    const unknown = scopes.filter((s) => !SCOPES.includes(s));
    if (unknown.length > 0) throw new AppFailure('invalid-argument', `Docker Hub scopes are ${SCOPES.join(', ')} (not "${unknown.join('", "')}").`);
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const body = {
      token_label: input.name,
      scopes,
      ...(seconds ? { expires_at: new Date(now(ctx).getTime() + seconds * 1000).toISOString() } : {}),
    };
    return createOnce(
      ctx,
      input,
      () =>
        withLogin(ctx, async (http) => {
          const res = await http.request({ method: 'POST', path: '/v2/access-tokens', json: body, schema: HubToken, what: `creating token "${input.name}"`, idempotent: false, signal: ctx.signal });
          const secret = res.data.token;
          if (!secret || /^\**$/.test(secret)) throw new RemoteFailure('unexpected-response', 'Docker Hub created the token but sent no secret.', { maybeApplied: true });
          return { token: toRemote(res.data, now(ctx)), secret };
        }),
      () => listTokens(ctx),
    );
  },

  async revoke(ctx, remoteId) {
    await withLogin(ctx, (http) => http.request({ method: 'DELETE', path: `/v2/access-tokens/${encodeURIComponent(remoteId)}`, what: 'deleting a token', signal: ctx.signal }));
  },

  async setActive(ctx, remoteId, active) {
    await withLogin(ctx, (http) =>
      http.request({
        method: 'PATCH',
        path: `/v2/access-tokens/${encodeURIComponent(remoteId)}`,
        json: { is_active: active },
        schema: HubToken,
        what: active ? 'activating a token' : 'deactivating a token',
        // Setting a state twice leaves the same state.
        idempotent: true,
        signal: ctx.signal,
      }),
    );
  },
};
