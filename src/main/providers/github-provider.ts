import { z } from 'zod';
import { AppFailure } from '../errors';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { baseCapabilities, COMMON_PRESETS } from './provider-support';
import type { Provider, ProviderContext } from './provider-types';
import { checkWith, VALID } from './secret-check-support';

/**
 * GitHub has no API that creates or lists personal access tokens. A GitHub workspace exists for deployment targets
 * (Actions secrets, written with its optional admin token) and to revoke a leaked token by its secret through the
 * credential revocation API (PROVIDERS.md §4.5), which github.com takes only unauthenticated.
 */
const API_VERSION = '2022-11-28';
const headers = { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION };

const noApi = () => {
  throw new AppFailure('unsupported', 'GitHub has no API to create personal access tokens: create it at github.com/settings/tokens, then paste it into Token Vault.');
};

/** The admin token, for the targets that write Actions secrets; null when the workspace is only for revoking. */
export function githubAdminClient(ctx: ProviderContext) {
  const secret = ctx.workspace.adminSecret;
  return secret ? ctx.http.withHeaders({ ...headers, authorization: `Bearer ${secret}` }) : null;
}

export const githubProvider: Provider = {
  kind: 'github',
  label: 'GitHub',
  capabilities: {
    ...baseCapabilities,
    create: false,
    list: false,
    expiry: 'date',
    expiryPresets: COMMON_PRESETS,
    freeScopes: true,
    remoteNames: false,
    notes: [
      'GitHub has no API to create or list personal access tokens: create them at github.com/settings/tokens and paste them here.',
      'Revoke sends the token to GitHub\'s credential revocation API: GitHub revokes it for good and tells its owner. It works for classic (ghp_) and fine-grained (github_pat_) tokens, 60 per hour.',
      'The admin token is optional: it is used only to write Actions secrets (a classic token with repo scope, or fine-grained with "Secrets: write").',
    ],
  },
  fields: {
    baseUrl: 'optional',
    defaultBaseUrl: 'https://api.github.com',
    username: 'unused',
    adminSecret: 'optional',
    adminSecretLabel: 'Token for Actions secrets (optional)',
    tokenPageUrl: 'optional',
  },
  // github.com: 5,000 authenticated requests per hour; credential revocation 60 per hour.
  rateLimit: { perSecond: 1, burst: 10 },

  async verify(ctx) {
    const admin = githubAdminClient(ctx);
    // Without an admin token there is nothing to check: revocation needs no credential.
    if (!admin) return { account: 'no admin token (revoke only)' };
    const res = await admin.request({ method: 'GET', path: '/user', schema: z.object({ login: z.string() }).loose(), what: 'checking the admin token', signal: ctx.signal });
    return { account: res.data.login };
  },

  async checkSecret(ctx, secret) {
    // GitHub answers a rate-limited token with 403 too, so only a 401 says the token is bad.
    return checkWith(
      () => ctx.http.withHeaders({ ...headers, authorization: `Bearer ${secret}` }).request({ method: 'GET', path: '/user', schema: z.object({ login: z.string() }).loose(), what: 'checking a token', signal: ctx.signal }),
      () => VALID,
    );
  },

  list: async () => [],
  create: async () => noApi(),

  async revokeSecret(ctx, secret) {
    const send = (withAuth: boolean) =>
      (withAuth ? githubAdminClient(ctx) ?? ctx.http.withHeaders(headers) : ctx.http.withHeaders(headers)).request({
        method: 'POST',
        path: '/credentials/revoke',
        json: { credentials: [secret] },
        what: 'revoking a token',
        // Revoking twice revokes once: safe to retry.
        idempotent: true,
        signal: ctx.signal,
      });
    try {
      // github.com takes this call only without a credential (with one it answers 403).
      await send(false);
    } catch (e) {
      // GitHub Enterprise Server documents the same route as authenticated: try once with the admin token.
      if (isRemoteFailure(e) && e.info.status === 401 && githubAdminClient(ctx)) {
        await send(true);
        return;
      }
      if (isRemoteFailure(e) && e.info.status === 422) {
        throw new RemoteFailure('invalid-argument', 'GitHub did not accept this token for revocation. Only GitHub tokens (ghp_, github_pat_ and the like) can be revoked this way; revoke others at github.com/settings/tokens.', e.info);
      }
      throw e;
    }
  },
};
