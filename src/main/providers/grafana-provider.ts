import { z } from 'zod';
import { AppFailure } from '../errors';
import { baseCapabilities, basicAuth, COMMON_PRESETS, mapLimited, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, INACTIVE, REFUSED, VALID } from './secret-check-support';

const ServiceAccount = z.lazy(() => z.object({ id: z.number(), name: z.string(), login: z.string().nullish(), role: z.string().nullish(), isDisabled: z.boolean().nullish() }).loose());
type ServiceAccount = z.infer<typeof ServiceAccount>;
const SearchPage = z.lazy(() => z.object({ totalCount: z.number(), serviceAccounts: z.array(ServiceAccount), page: z.number().optional(), perPage: z.number().optional() }));
const SaToken = z.lazy(() =>
  z.object({
    id: z.number(),
    name: z.string(),
    created: z.string().nullish(),
    lastUsedAt: z.string().nullish(),
    expiration: z.string().nullish(),
    secondsUntilExpiration: z.number().nullish(),
    hasExpired: z.boolean().nullish(),
    isRevoked: z.boolean().nullish(),
  }),
);
type SaToken = z.infer<typeof SaToken>;

const ROLES = ['Viewer', 'Editor', 'Admin', 'None'];

const remoteIdOf = (saId: number | string, tokenId: number | string) => `${saId}/${tokenId}`;
function parseRemoteId(remoteId: string): { sa: string; id: string } {
  const [sa, id] = remoteId.split('/');
  if (!sa || !id) throw new AppFailure('invalid-argument', `"${remoteId}" is not a Grafana token id Token Vault knows. Sync the workspace.`);
  return { sa, id };
}

function toRemote(sa: ServiceAccount, t: SaToken): RemoteToken {
  return token({
    remoteId: remoteIdOf(sa.id, t.id),
    name: t.name,
    description: `Service account ${sa.name}${sa.role ? ` (${sa.role})` : ''}`,
    type: sa.name,
    scopes: sa.role ? [sa.role] : [],
    createdAt: t.created ?? null,
    expiresAt: t.expiration ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    // Disabling is a service-account switch: every token of a disabled account is inactive.
    status: t.isRevoked ? 'revoked' : t.hasExpired ? 'expired' : sa.isDisabled ? 'inactive' : 'active',
  });
}

function authed(ctx: ProviderContext) {
  const secret = requireSecret(ctx, 'admin password or service account token');
  return ctx.http.withHeaders({ authorization: ctx.workspace.username ? basicAuth(ctx.workspace.username, secret) : `Bearer ${secret}` });
}

async function serviceAccounts(ctx: ProviderContext): Promise<ServiceAccount[]> {
  const http = authed(ctx);
  let seen = 0;
  return collectPages({
    service: 'Grafana',
    first: 1,
    fetch: async (page: number) => {
      const res = await http.request({ method: 'GET', path: '/api/serviceaccounts/search', query: { perpage: 100, page }, schema: SearchPage, what: 'listing service accounts', signal: ctx.signal });
      seen += res.data.serviceAccounts.length;
      return { items: res.data.serviceAccounts, next: seen >= res.data.totalCount ? null : page + 1 };
    },
  });
}

async function tokensOf(ctx: ProviderContext, sa: ServiceAccount): Promise<RemoteToken[]> {
  const res = await authed(ctx).request({ method: 'GET', path: `/api/serviceaccounts/${sa.id}/tokens`, schema: z.array(SaToken), what: `listing tokens of ${sa.name}`, signal: ctx.signal });
  return res.data.map((t) => toRemote(sa, t));
}

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const accounts = await serviceAccounts(ctx);
  return (await mapLimited(accounts, 4, (sa) => tokensOf(ctx, sa))).flat();
}

export const grafanaProvider: Provider = {
  kind: 'grafana',
  label: 'Grafana',
  capabilities: {
    ...baseCapabilities,
    activate: 'service-account',
    expiry: 'seconds',
    expiryPresets: COMMON_PRESETS,
    types: [],
    scopes: ROLES,
    lastUsed: true,
    notes: [
      'Tokens belong to service accounts. Activate/deactivate switches the whole service account: every token of it.',
      'Type = the service account (name or id); without one, a service account named after the token is created.',
      'Scope = the role of a new service account (Viewer, Editor, Admin).',
      'No rotate: Token Vault rotates by creating a new token, then revoking the old one once you confirm.',
    ],
  },
  fields: {
    baseUrl: 'required',
    username: 'optional',
    usernameLabel: 'Admin user (Basic auth; leave empty for a service account token)',
    adminSecret: 'required',
    adminSecretLabel: 'Admin password or service account token',
    tokenPageUrl: 'optional',
  },
  // Grafana documents no limits.
  rateLimit: { perSecond: 10, burst: 20 },

  async verify(ctx) {
    await authed(ctx).request({ method: 'GET', path: '/api/serviceaccounts/search', query: { perpage: 1, page: 1 }, schema: SearchPage, what: 'checking the admin credential', signal: ctx.signal });
    return { account: ctx.workspace.username ?? 'service account token' };
  },

  async checkSecret(ctx, secret) {
    // Any service-account token may read its own permissions (trufflehog's verifier uses this call). A 403 has been
    // seen for working tokens too, so only 401 says refused.
    return checkWith(
      () => ctx.http.withHeaders({ authorization: `Bearer ${secret}` }).request({ method: 'GET', path: '/api/access-control/user/permissions', schema: z.record(z.string(), z.unknown()), what: 'checking a token', signal: ctx.signal }),
      () => VALID,
      { 401: (detail) => (detail && /disabled/i.test(detail) ? INACTIVE : REFUSED) },
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const http = authed(ctx);
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const accounts = await serviceAccounts(ctx);
    const wanted = input.type ?? input.name;
    let sa = accounts.find((a) => a.name === wanted || String(a.id) === wanted || a.login === wanted);
    if (!sa) {
      const role = input.scopes?.[0] ?? 'Viewer';
      if (!ROLES.includes(role)) throw new AppFailure('invalid-argument', `Grafana roles are ${ROLES.join(', ')} (not "${role}").`);
      sa = (await http.request({ method: 'POST', path: '/api/serviceaccounts', json: { name: wanted, role, isDisabled: false }, schema: ServiceAccount, what: `creating service account "${wanted}"`, idempotent: false, signal: ctx.signal })).data;
    }
    const account = sa;
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await http.request({
          method: 'POST',
          path: `/api/serviceaccounts/${account.id}/tokens`,
          json: { name: input.name, secondsToLive: seconds ?? 0 },
          schema: z.object({ id: z.number(), name: z.string(), key: z.string() }),
          what: `creating token "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        const expiresAt = seconds ? new Date(Date.now() + seconds * 1000).toISOString() : null;
        return { token: toRemote(account, { id: res.data.id, name: res.data.name, created: new Date().toISOString(), expiration: expiresAt }), secret: res.data.key };
      },
      () => tokensOf(ctx, account),
    );
  },

  async revoke(ctx, remoteId) {
    const { sa, id } = parseRemoteId(remoteId);
    await authed(ctx).request({ method: 'DELETE', path: `/api/serviceaccounts/${encodeURIComponent(sa)}/tokens/${encodeURIComponent(id)}`, schema: z.unknown(), what: 'revoking a token', signal: ctx.signal });
  },

  async setActive(ctx, remoteId, active) {
    const { sa } = parseRemoteId(remoteId);
    await authed(ctx).request({
      method: 'PATCH',
      path: `/api/serviceaccounts/${encodeURIComponent(sa)}`,
      json: { isDisabled: !active },
      schema: z.unknown(),
      what: active ? 'enabling the service account' : 'disabling the service account',
      idempotent: true,
      signal: ctx.signal,
    });
  },
};
