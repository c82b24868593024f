import { AppFailure } from '../errors';
import type { CreateTokenInput, ExpiryPreset, ProviderCapabilities, ProviderContext, RemoteToken } from './provider-types';

export const DAY = 86_400;

export const baseCapabilities: ProviderCapabilities = {
  create: true,
  list: true,
  renew: 'none',
  renewKeepsExpiry: false,
  renewDefaultExpiryDays: null,
  revoke: true,
  activate: 'none',
  expiry: 'none',
  expiryPresets: [],
  editExpiry: false,
  expiryRequired: false,
  types: [],
  scopes: [],
  freeScopes: false,
  scopesRequired: false,
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

export const now = (ctx: ProviderContext) => (ctx.now ? ctx.now() : new Date());

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
  if (!user) throw new AppFailure('invalid-argument', `The workspace "${ctx.workspace.name}" needs a ${label}. Add it in the workspace settings.`, { field: 'username' });
  return user;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function listOption(ctx: ProviderContext, key: string): string[] {
  return (ctx.workspace.options[key] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
