import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { isRemoteFailure } from './http/http-client';
import type { CreateOutcome, CreateTokenInput, ExpiryPreset, IssuedToken, ProviderCapabilities, ProviderContext, RemoteToken } from './provider-types';

const log = createLogger('providers');

export const DAY = 86_400;

export const baseCapabilities: ProviderCapabilities = {
  create: true,
  list: true,
  renew: 'none',
  renewKeepsExpiry: false,
  revoke: true,
  activate: 'none',
  expiry: 'none',
  expiryPresets: [],
  expiryRequired: false,
  types: [],
  scopes: [],
  freeScopes: false,
  lastUsed: false,
  usage: false,
  remoteNames: true,
  notes: [],
};

export const COMMON_PRESETS: ExpiryPreset[] = [
  { id: '7d', label: '7 days', seconds: 7 * DAY },
  { id: '30d', label: '30 days', seconds: 30 * DAY },
  { id: '90d', label: '90 days', seconds: 90 * DAY },
  { id: '1y', label: '1 year', seconds: 365 * DAY },
  { id: 'never', label: 'Never', seconds: null },
];

const now = (ctx: ProviderContext) => (ctx.now ? ctx.now() : new Date());

/**
 * Seconds from now until the requested expiry: a preset id wins, then an absolute date. `undefined` = the caller
 * did not say; `null` = never.
 */
export function requestedLifetime(ctx: ProviderContext, input: CreateTokenInput, presets: ExpiryPreset[]): number | null | undefined {
  if (input.expiryPreset !== undefined) {
    const preset = presets.find((p) => p.id === input.expiryPreset);
    if (!preset) throw new AppFailure('invalid-argument', `Unknown expiry "${input.expiryPreset}". Choose one of: ${presets.map((p) => p.id).join(', ')}.`);
    return preset.seconds;
  }
  if (input.expiresAt === null) return null;
  if (input.expiresAt === undefined) return undefined;
  const at = Date.parse(input.expiresAt);
  if (Number.isNaN(at)) throw new AppFailure('invalid-argument', 'The expiry is not a valid date. Use YYYY-MM-DD or a preset like 30d.');
  const seconds = Math.round((at - now(ctx).getTime()) / 1000);
  if (seconds <= 0) throw new AppFailure('invalid-argument', 'The expiry is in the past. Pick a later date.');
  return seconds;
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function statusFromExpiry(expiresAt: string | null, at: Date): 'active' | 'expired' {
  return expiresAt && Date.parse(expiresAt) <= at.getTime() ? 'expired' : 'active';
}

export const fromUnix = (s: number | null | undefined) => (s === null || s === undefined || s === 0 ? null : new Date(s * 1000).toISOString());

export function token(partial: Partial<RemoteToken> & Pick<RemoteToken, 'remoteId' | 'name'>): RemoteToken {
  return {
    description: null,
    masked: null,
    type: null,
    scopes: [],
    createdAt: null,
    expiresAt: null,
    lastUsedAt: null,
    usageCount: null,
    status: 'active',
    ...partial,
  };
}

/**
 * Runs a create exactly once. If its answer is lost after the request went out, the service may hold a new token
 * whose secret nobody received: list and look for it (by name and creation time) instead of creating a second one.
 * `recover` may fetch the secret again where the service allows it (Strapi with an encryption key).
 */
export async function createOnce(
  ctx: ProviderContext,
  input: CreateTokenInput,
  issue: () => Promise<IssuedToken>,
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
    let tokens: RemoteToken[];
    try {
      tokens = await list();
    } catch {
      return {
        lost: true,
        token: null,
        message: `The answer to creating "${input.name}" was lost, and ${service} could not be listed to check whether it was created. Look at the service's token page before creating it again.`,
      };
    }
    const skewMs = 5 * 60_000;
    const candidates = tokens
      .filter((t) => (options.matchByName === false ? true : t.name === input.name))
      .filter((t) => t.createdAt === null || Date.parse(t.createdAt) >= sentAt - skewMs)
      .sort((a, b) => Date.parse(b.createdAt ?? '0') - Date.parse(a.createdAt ?? '0'));
    const found = candidates[0];
    if (!found && e.code === 'timeout') {
      return {
        lost: true,
        token: null,
        message: `Creating "${input.name}" took too long and ${service} does not list it yet; it may still appear. Sync the workspace in a minute and look for it before creating it again.`,
      };
    }
    if (!found) {
      return {
        lost: true,
        token: null,
        message: `The answer to creating "${input.name}" was lost and ${service} lists no such token, so it was most likely not created. Nothing was stored; try again.`,
      };
    }
    const secret = options.recover ? await options.recover(found).catch(() => null) : null;
    if (secret) return { token: found, secret };
    return {
      lost: true,
      token: found,
      message: `${service} created "${input.name}" but its answer was lost, so its secret was never received (the service shows it only once). The token is recorded without a secret: regenerate it if the service allows, or revoke it and create a new one.`,
    };
  }
}

/** Runs `fn` over items with at most `limit` in flight (the rate limiter paces the requests themselves). */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

export function requireSecret(ctx: ProviderContext, what = 'admin credential'): string {
  const secret = ctx.workspace.adminSecret;
  if (!secret) throw new AppFailure('bad-credential', `The workspace "${ctx.workspace.name}" has no ${what}. Add it in the workspace settings.`);
  return secret;
}

export function requireUser(ctx: ProviderContext, label = 'user name'): string {
  const user = ctx.workspace.username;
  if (!user) throw new AppFailure('invalid-argument', `The workspace "${ctx.workspace.name}" needs a ${label}. Add it with --user.`);
  return user;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function listOption(ctx: ProviderContext, key: string): string[] {
  return (ctx.workspace.options[key] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
