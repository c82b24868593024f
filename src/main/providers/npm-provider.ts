import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient } from './http/http-client';
import { isRemoteFailure } from './http/remote-failure';
import { baseCapabilities, basicAuth, requireSecret, requireUser, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, REFUSED, VALID } from './secret-check-support';

const NpmToken = z.lazy(() =>
  z.object({
    token: z.string(),
    key: z.string(),
    cidr: z.array(z.string()).nullish(),
    readonly: z.boolean().nullish(),
    created: z.string().nullish(),
    user: z.string().nullish(),
  }),
);
type NpmToken = z.infer<typeof NpmToken>;

const TokenPage = z.lazy(() =>
  z.object({
    objects: z.array(NpmToken),
    urls: z.object({ next: z.string().nullish() }).nullish(),
  }),
);

export const NpmSession = z.lazy(() => z.object({ token: z.string() }));

function toRemote(t: NpmToken): RemoteToken {
  return token({
    remoteId: t.key,
    // npm tokens have no name: the app keeps the one the user chose; this stands in for unknown ones.
    name: `npm token ${t.token}`,
    masked: t.token,
    type: t.readonly ? 'read-only' : 'publish',
    scopes: t.cidr ?? [],
    createdAt: t.created ?? null,
  });
}

/** Logs in with npm's CouchDB user protocol; the session token is kept by the caller and reused. */
async function login(ctx: ProviderContext): Promise<string> {
  const user = requireUser(ctx);
  const password = requireSecret(ctx, 'password');
  try {
    const res = await ctx.http.request({
      method: 'PUT',
      path: `/-/user/org.couchdb.user:${encodeURIComponent(user)}`,
      headers: { authorization: basicAuth(user, password) },
      json: { name: user, password, type: 'user', roles: [], date: new Date().toISOString() },
      schema: z.object({ token: z.string() }),
      what: 'logging in',
      idempotent: false,
      signal: ctx.signal,
    });
    await ctx.login.set({ token: res.data.token });
    return res.data.token;
  } catch (e) {
    if (isRemoteFailure(e) && (e.info.status === 401 || e.info.status === 409)) {
      throw new AppFailure('bad-credential', `The registry refused the user name or password for "${user}". Fix them in the workspace settings.`);
    }
    throw e;
  }
}

/** Runs `fn` with the stored session; a 401 means it expired: log in once and run again (a 401 changed nothing). */
async function withSession<T>(ctx: ProviderContext, fn: (http: HttpClient) => Promise<T>): Promise<T> {
  const stored = NpmSession.safeParse(ctx.login.get());
  let fresh = !stored.success;
  let sessionToken = stored.success ? stored.data.token : await login(ctx);
  for (;;) {
    try {
      return await fn(ctx.http.withHeaders({ authorization: `Bearer ${sessionToken}` }));
    } catch (e) {
      if (fresh || !isRemoteFailure(e) || e.code !== 'bad-credential') throw e;
      fresh = true;
      sessionToken = await login(ctx);
    }
  }
}

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  return withSession(ctx, async (http) => {
    return collectPages({
      service: 'npm',
      first: '/-/npm/v1/tokens',
      fetch: async (path: string) => {
        const res = await http.request({ method: 'GET', path, schema: TokenPage, what: 'listing tokens', signal: ctx.signal });
        return { items: res.data.objects.map(toRemote), next: res.data.urls?.next || null };
      },
    });
  });
}

export const npmProvider: Provider = {
  kind: 'npm',
  label: 'npm registry (npmjs, Verdaccio)',
  capabilities: {
    ...baseCapabilities,
    types: ['publish', 'read-only'],
    scopes: [],
    freeScopes: true,
    remoteNames: false,
    notes: [
      'npm tokens have no name at the registry: Token Vault keeps the name you give.',
      'Creating a token needs the account password; scopes are CIDR ranges the token may be used from.',
      'No rotate: Token Vault rotates by creating a new token, then revoking the old one once you confirm.',
      'Verdaccio ignores expiry; tokens live until revoked.',
    ],
  },
  fields: {
    baseUrl: 'required',
    defaultBaseUrl: 'https://registry.npmjs.org',
    username: 'required',
    usernameLabel: 'User name',
    adminSecret: 'required',
    adminSecretLabel: 'Password',
    tokenPageUrl: 'optional',
  },
  // Verdaccio: 1000 requests per 15 minutes on the token routes.
  rateLimit: { perSecond: 1, burst: 30 },

  async verify(ctx) {
    await listTokens(ctx);
    return { account: requireUser(ctx) };
  },

  async checkSecret(ctx, secret) {
    // Verdaccio answers whoami for a bad token with 200 {} and a revoked one with 403: only a username says valid.
    return checkWith(
      () => ctx.http.withHeaders({ authorization: `Bearer ${secret}` }).request({ method: 'GET', path: '/-/whoami', schema: z.object({ username: z.string().nullish() }).loose(), what: 'checking a token', signal: ctx.signal }),
      (res) => (res.data.username ? VALID : REFUSED),
      { 403: REFUSED },
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const password = requireSecret(ctx, 'password');
    const readonly = (input.type ?? 'publish') === 'read-only';
    if (input.type && !['publish', 'read-only'].includes(input.type)) {
      throw new AppFailure('invalid-argument', `npm token types are publish and read-only (not "${input.type}").`);
    }
    return createOnce(
      ctx,
      input,
      () =>
        withSession(ctx, async (http) => {
          const res = await http.request({
            method: 'POST',
            path: '/-/npm/v1/tokens',
            json: { password, readonly, cidr_whitelist: input.scopes ?? [] },
            schema: NpmToken,
            what: 'creating a token',
            idempotent: false,
            signal: ctx.signal,
          });
          const remote = toRemote({ ...res.data, token: `${res.data.token.slice(0, 5)}...${res.data.token.slice(-5)}` });
          return { token: { ...remote, name: input.name }, secret: res.data.token };
        }),
      () => listTokens(ctx),
      { matchByName: false },
    );
  },

  async revoke(ctx, remoteId) {
    await withSession(ctx, (http) =>
      http.request({ method: 'DELETE', path: `/-/npm/v1/tokens/token/${encodeURIComponent(remoteId)}`, schema: z.unknown(), what: 'revoking a token', signal: ctx.signal }),
    );
  },
};
