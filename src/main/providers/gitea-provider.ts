import { z } from 'zod';
import { AppFailure } from '../errors';
import { baseCapabilities, basicAuth, requireSecret, requireUser, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, VALID, VALID_LIMITED } from './secret-check-support';

const GiteaToken = z.lazy(() =>
  z.object({
    id: z.number(),
    name: z.string(),
    sha1: z.string().nullish(),
    token_last_eight: z.string().nullish(),
    scopes: z.array(z.string()).nullish(),
  }),
);
type GiteaToken = z.infer<typeof GiteaToken>;

const PAGE = 50;

function toRemote(t: GiteaToken): RemoteToken {
  return token({
    remoteId: String(t.id),
    name: t.name,
    masked: t.token_last_eight ? `…${t.token_last_eight}` : null,
    scopes: t.scopes ?? [],
  });
}

/** Gitea's token endpoints take Basic auth with the account password, never a token. */
function authed(ctx: ProviderContext) {
  return ctx.http.withHeaders({ authorization: basicAuth(requireUser(ctx), requireSecret(ctx, 'password')) });
}

const userPath = (ctx: ProviderContext) => `/api/v1/users/${encodeURIComponent(requireUser(ctx))}/tokens`;

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const http = authed(ctx);
  let seen = 0;
  return collectPages({
    service: 'Gitea',
    first: 1,
    fetch: async (page: number) => {
      const res = await http.request({ method: 'GET', path: userPath(ctx), query: { page, limit: PAGE }, schema: z.array(GiteaToken), what: 'listing access tokens', signal: ctx.signal });
      seen += res.data.length;
      const total = Number(res.headers.get('x-total-count') ?? 'NaN');
      const last = res.data.length < PAGE || (Number.isFinite(total) && seen >= total);
      return { items: res.data.map(toRemote), next: last ? null : page + 1 };
    },
  });
}

export const giteaProvider: Provider = {
  kind: 'gitea',
  label: 'Gitea / Forgejo',
  capabilities: {
    ...baseCapabilities,
    scopes: ['all', 'read:repository', 'write:repository', 'read:user', 'write:user', 'read:organization', 'write:organization', 'read:package', 'write:package', 'read:issue', 'write:issue'],
    freeScopes: true,
    notes: [
      'Gitea tokens have no expiry and no created or last-used dates: set a rotation policy in Token Vault instead.',
      'Token endpoints need the account password (Basic auth). Tokens are matched by their last eight characters.',
      'No rotate: Token Vault rotates by creating a new token, then revoking the old one once you confirm.',
    ],
  },
  fields: {
    baseUrl: 'required',
    username: 'required',
    usernameLabel: 'User name',
    adminSecret: 'required',
    adminSecretLabel: 'Password',
    tokenPageUrl: 'optional',
  },
  rateLimit: { perSecond: 10, burst: 20 },

  async verify(ctx) {
    const res = await authed(ctx).request({ method: 'GET', path: '/api/v1/user', schema: z.object({ login: z.string() }).loose(), what: 'checking the login', signal: ctx.signal });
    return { account: res.data.login };
  },

  async checkSecret(ctx, secret) {
    // 403 "token does not have at least one of required scope(s): [read:user]" = a working token with other scopes.
    return checkWith(
      () => ctx.http.withHeaders({ authorization: `token ${secret}` }).request({ method: 'GET', path: '/api/v1/user', schema: z.object({ login: z.string() }).loose(), what: 'checking a token', signal: ctx.signal }),
      () => VALID,
      { 403: VALID_LIMITED },
    );
  },

  list: listTokens,

  async create(ctx, input) {
    if (input.expiresAt || (input.expiryPreset && input.expiryPreset !== 'never')) {
      throw new AppFailure('unsupported', 'Gitea tokens cannot expire. Create it without an expiry and set a rotation policy instead.');
    }
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await authed(ctx).request({
          method: 'POST',
          path: userPath(ctx),
          json: { name: input.name, scopes: input.scopes?.length ? input.scopes : ['read:user'] },
          schema: GiteaToken,
          what: `creating token "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        if (!res.data.sha1) throw new AppFailure('unexpected-response', 'Gitea created the token but sent no secret.');
        return { token: { ...toRemote(res.data), createdAt: new Date().toISOString() }, secret: res.data.sha1 };
      },
      () => listTokens(ctx),
    );
  },

  async revoke(ctx, remoteId) {
    await authed(ctx).request({ method: 'DELETE', path: `${userPath(ctx)}/${encodeURIComponent(remoteId)}`, what: 'revoking a token', signal: ctx.signal });
  },
};
