import { z } from 'zod';
import { AppFailure } from '../errors';
import { isRemoteFailure } from './http/remote-failure';
import { baseCapabilities, COMMON_PRESETS, fromUnix, mapLimited, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, REFUSED, VALID } from './secret-check-support';

/** The name Token Vault gives a token travels in its metadata, so a later LIST + lookup can name it again. */
const NAME_META = 'token_vault_name';
const DESCRIPTION_META = 'token_vault_description';

const Lookup = z.lazy(() =>
  z.object({
    accessor: z.string(),
    creation_time: z.number().nullish(),
    display_name: z.string().nullish(),
    expire_time: z.string().nullish(),
    meta: z.record(z.string(), z.string()).nullish(),
    policies: z.array(z.string()).nullish(),
    num_uses: z.number().nullish(),
    type: z.string().nullish(),
    ttl: z.number().nullish(),
  }),
);
type Lookup = z.infer<typeof Lookup>;

function toRemote(d: Lookup, now: Date): RemoteToken {
  const expiresAt = d.expire_time ?? null;
  return token({
    remoteId: d.accessor,
    name: d.meta?.[NAME_META] ?? d.display_name ?? d.accessor,
    description: d.meta?.[DESCRIPTION_META] ?? null,
    type: d.type ?? 'service',
    scopes: d.policies ?? [],
    createdAt: fromUnix(d.creation_time),
    expiresAt,
    // num_uses counts down the uses left; 0 = unlimited. Vault keeps no last-used time.
    usageCount: null,
    status: expiresAt && Date.parse(expiresAt) <= now.getTime() ? 'expired' : 'active',
  });
}

const authed = (ctx: ProviderContext) => ctx.http.withHeaders({ 'x-vault-token': requireSecret(ctx, 'token') });

async function lookup(ctx: ProviderContext, accessor: string): Promise<RemoteToken | null> {
  try {
    const res = await authed(ctx).request({
      method: 'POST',
      path: '/v1/auth/token/lookup-accessor',
      json: { accessor },
      schema: z.object({ data: Lookup }),
      what: 'looking up a token',
      // A lookup changes nothing: safe to retry.
      idempotent: true,
      signal: ctx.signal,
    });
    return toRemote(res.data.data, ctx.now ? ctx.now() : new Date());
  } catch (e) {
    // Expired between LIST and lookup: Vault answers 400 "invalid accessor".
    if (isRemoteFailure(e) && (e.info.status === 400 || e.info.status === 404)) return null;
    throw e;
  }
}

async function listTokens(ctx: ProviderContext): Promise<RemoteToken[]> {
  const res = await authed(ctx).request({
    method: 'GET',
    path: '/v1/auth/token/accessors',
    query: { list: 'true' },
    schema: z.object({ data: z.object({ keys: z.array(z.string()) }) }),
    what: 'listing token accessors',
    signal: ctx.signal,
  });
  const found = await mapLimited(res.data.data.keys, 8, (accessor) => lookup(ctx, accessor));
  return found.filter((t): t is RemoteToken => t !== null);
}

export const vaultProvider: Provider = {
  kind: 'vault',
  label: 'HashiCorp Vault',
  capabilities: {
    ...baseCapabilities,
    expiry: 'seconds',
    expiryPresets: COMMON_PRESETS,
    scopes: ['default'],
    freeScopes: true,
    notes: [
      'Tokens are managed by accessor; Token Vault keeps their names in the token metadata.',
      'New tokens are orphans, so revoking the admin token does not revoke them.',
      'Listing needs sudo on auth/token/accessors. No rotate: create a new token, then revoke the old one.',
    ],
  },
  fields: {
    baseUrl: 'required',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'Vault token (with sudo on auth/token/accessors)',
    tokenPageUrl: 'optional',
  },
  // Vault limits are operator-defined rate-limit quotas.
  rateLimit: { perSecond: 20, burst: 20 },

  async verify(ctx) {
    try {
      const res = await authed(ctx).request({ method: 'GET', path: '/v1/auth/token/lookup-self', schema: z.object({ data: Lookup }), what: 'checking the Vault token', signal: ctx.signal });
      return { account: res.data.data.display_name ?? res.data.data.accessor };
    } catch (e) {
      // Vault answers an unknown or expired token with 403 "permission denied", not 401.
      if (isRemoteFailure(e) && e.info.status === 403) throw new AppFailure('bad-credential', 'Vault refused the admin token (permission denied). It may be wrong or expired: update it in the workspace settings.');
      throw e;
    }
  },

  async checkSecret(ctx, secret) {
    // Vault refuses an unknown, revoked or expired token with 403 "permission denied". (A token made with
    // no_default_policy cannot look itself up and gets 403 too: Token Vault never makes those.)
    return checkWith(
      () => ctx.http.withHeaders({ 'x-vault-token': secret }).request({ method: 'GET', path: '/v1/auth/token/lookup-self', schema: z.object({ data: Lookup }), what: 'checking a token', signal: ctx.signal }),
      () => VALID,
      { 403: REFUSED },
    );
  },

  list: listTokens,

  async create(ctx, input) {
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const body = {
      display_name: input.name,
      policies: input.scopes?.length ? input.scopes : ['default'],
      meta: { [NAME_META]: input.name, ...(input.description ? { [DESCRIPTION_META]: input.description } : {}) },
      renewable: true,
      type: input.type === 'batch' ? 'batch' : 'service',
      ...(seconds ? { ttl: `${seconds}s`, explicit_max_ttl: `${seconds}s` } : {}),
    };
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await authed(ctx).request({
          method: 'POST',
          path: '/v1/auth/token/create-orphan',
          json: body,
          schema: z.object({ auth: z.object({ client_token: z.string(), accessor: z.string(), policies: z.array(z.string()).nullish(), lease_duration: z.number().nullish() }) }),
          what: `creating token "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        const auth = res.data.auth;
        const looked = await lookup(ctx, auth.accessor).catch(() => null);
        const fallback = token({
          remoteId: auth.accessor,
          name: input.name,
          scopes: auth.policies ?? [],
          createdAt: new Date().toISOString(),
          expiresAt: auth.lease_duration ? new Date(Date.now() + auth.lease_duration * 1000).toISOString() : null,
        });
        return { token: looked ?? fallback, secret: auth.client_token };
      },
      () => listTokens(ctx),
    );
  },

  async revoke(ctx, remoteId) {
    await authed(ctx).request({ method: 'POST', path: '/v1/auth/token/revoke-accessor', json: { accessor: remoteId }, what: 'revoking a token', idempotent: true, signal: ctx.signal });
  },
};
