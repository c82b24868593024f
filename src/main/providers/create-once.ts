import { createLogger } from '../log/redacting-logger';
import { isRemoteFailure } from './http/remote-failure';
import { now } from './provider-support';
import type { CreateOutcome, CreateTokenInput, IssuedSecret, ProviderContext, RemoteToken } from './provider-types';

const log = createLogger('providers');

/** A token created this long before the request went out (clock skew) still counts as ours. */
const SKEW_MS = 5 * 60_000;

/**
 * Runs a create exactly once. If its answer is lost after the request went out, the service may hold a new token
 * whose secret nobody received: list and look for it (by name and creation time) instead of creating a second one.
 * `recover` may fetch the secret again where the service allows it (Strapi with an encryption key).
 */
export async function createOnce(
  ctx: ProviderContext,
  input: CreateTokenInput,
  issue: () => Promise<IssuedSecret<RemoteToken>>,
  list: () => Promise<RemoteToken[]>,
  options: { matchByName?: boolean; recover?: (token: RemoteToken) => Promise<string | null> } = {},
): Promise<CreateOutcome> {
  const sentAt = now(ctx).getTime();
  try {
    return await issue();
  } catch (e) {
    if (!isRemoteFailure(e) || !e.info.maybeApplied) throw e;
    log.warn('create answer lost; reconciling by listing', { service: ctx.http.service, code: e.code });
    const service = ctx.http.service;
    // Cancelled after the request went out: the listing that finds what the service may have issued is not cancelled.
    const cancelled = e.code === 'cancelled';
    if (cancelled) ctx.http.shieldOperation();
    let tokens: RemoteToken[];
    try {
      tokens = await list();
    } catch {
      return {
        lost: true,
        cause: e.code,
        token: null,
        message: `The answer to creating "${input.name}" was lost, and ${service} could not be listed to check whether it was created. Look at the service's token page before creating it again.`,
      };
    }
    const candidates = tokens
      .filter((t) => (options.matchByName === false ? true : t.name === input.name))
      .filter((t) => t.createdAt === null || Date.parse(t.createdAt) >= sentAt - SKEW_MS)
      .sort((a, b) => Date.parse(b.createdAt ?? '0') - Date.parse(a.createdAt ?? '0'));
    const found = candidates[0];
    if (!found && e.code === 'timeout') {
      return {
        lost: true,
        cause: e.code,
        token: null,
        message: `Creating "${input.name}" took too long and ${service} does not list it yet; it may still appear. Sync the workspace in a minute and look for it before creating it again.`,
      };
    }
    if (!found) {
      return {
        lost: true,
        cause: e.code,
        token: null,
        message: cancelled
          ? `Creating "${input.name}" was cancelled after the request went out, and ${service} lists no such token, so it was most likely not created. Nothing was stored.`
          : `The answer to creating "${input.name}" was lost and ${service} lists no such token, so it was most likely not created. Nothing was stored; try again.`,
      };
    }
    const secret = options.recover ? await options.recover(found).catch(() => null) : null;
    if (secret) return { token: found, secret };
    return {
      lost: true,
      cause: e.code,
      token: found,
      message: `${service} created "${input.name}" but its answer was ${cancelled ? 'cancelled' : 'lost'}, so its secret was never received (the service shows it only once). The token is recorded without a secret: regenerate it if the service allows, or revoke it and create a new one.`,
    };
  }
}
