import { z } from 'zod';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import type { HttpClient } from './http/http-client';
import { isRemoteFailure, RemoteFailure } from './http/remote-failure';
import { baseCapabilities, DAY, requestedLifetime, requireSecret, requireUser, statusFromExpiry, token } from './provider-support';
import { createOnce } from './create-once';
import type { ExpiryPreset, Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, EXPIRED, REFUSED, VALID, VALID_LIMITED } from './secret-check-support';

const log = createLogger('strapi-provider');

/** Strapi accepts exactly these lifespans (ms as a number), or null for unlimited. */
const PRESETS: ExpiryPreset[] = [
  { id: '7d', label: '7 days', seconds: 7 * DAY },
  { id: '30d', label: '30 days', seconds: 30 * DAY },
  { id: '90d', label: '90 days', seconds: 90 * DAY },
  { id: 'never', label: 'Unlimited', seconds: null },
];

const StrapiToken = z.lazy(() =>
  z.object({
    id: z.union([z.number(), z.string()]),
    name: z.string(),
    description: z.string().nullish(),
    type: z.string().nullish(),
    lastUsedAt: z.string().nullish(),
    expiresAt: z.string().nullish(),
    createdAt: z.string().nullish(),
    lifespan: z.union([z.string(), z.number()]).nullish(),
    permissions: z.array(z.unknown()).nullish(),
    accessKey: z.string().nullish(),
  }),
);
type StrapiToken = z.infer<typeof StrapiToken>;

const Envelope = <T extends z.ZodType>(data: T) => z.object({ data });

/** The admin session the caller persists (encrypted) so other processes reuse it instead of logging in. */
export const StrapiSession = z.lazy(() =>
  z.object({
    jwt: z.string(),
    /** Every cookie Strapi set on /admin (the refresh cookie and its signature), as a Cookie header value. */
    cookie: z.string(),
    jwtExpiresAt: z.number(),
  }),
);
export type StrapiSession = z.infer<typeof StrapiSession>;

function jwtExpiry(jwt: string): number {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + 25 * 60_000;
  } catch {
    return Date.now() + 25 * 60_000;
  }
}

function cookiesFrom(headers: Headers, previous = ''): string {
  const jar = new Map<string, string>();
  for (const part of previous.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k) jar.set(k, v.join('='));
  }
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [k, ...v] = (pair ?? '').trim().split('=');
    if (k) jar.set(k, v.join('='));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/**
 * Per operation: at most one login and one refresh. Strapi allows 5 logins per 5 minutes, so a loop of logins would
 * lock the admin out; a stored session is refreshed with its cookie and a login happens only when that fails.
 */
class StrapiSessionRunner {
  private loggedIn = false;
  private refreshed = false;
  constructor(private readonly ctx: ProviderContext) {}

  private get http(): HttpClient {
    return this.ctx.http;
  }

  private async save(session: StrapiSession): Promise<StrapiSession> {
    await this.ctx.login.set(session);
    return session;
  }

  private async login(): Promise<StrapiSession> {
    if (this.loggedIn) throw new AppFailure('bad-credential', 'Strapi rejected a session it had just issued. Check the server clock and try again.');
    this.loggedIn = true;
    log.info('logging in to Strapi', { workspace: this.ctx.workspace.id });
    try {
      const res = await this.http.request({
        method: 'POST',
        path: '/admin/login',
        json: { email: requireUser(this.ctx, 'admin email'), password: requireSecret(this.ctx, 'admin password') },
        schema: Envelope(z.object({ token: z.string().optional(), accessToken: z.string().optional() })),
        what: 'logging in',
        idempotent: false,
        signal: this.ctx.signal,
      });
      const jwt = res.data.data.accessToken ?? res.data.data.token;
      if (!jwt) throw new RemoteFailure('unexpected-response', 'Strapi logged in but sent no session token. Check the Strapi version (5.x is supported).');
      return this.save({ jwt, cookie: cookiesFrom(res.headers), jwtExpiresAt: jwtExpiry(jwt) });
    } catch (e) {
      // Strapi answers wrong credentials with 400, not 401.
      if (isRemoteFailure(e) && (e.info.status === 400 || e.info.status === 401)) {
        throw new RemoteFailure('bad-credential', 'Strapi refused the admin email or password. Fix them in the workspace settings (Strapi locks logins after 5 attempts in 5 minutes).', e.info);
      }
      if (isRemoteFailure(e) && e.code === 'rate-limited') {
        throw new RemoteFailure('rate-limited', 'Strapi blocked further logins for now (5 per 5 minutes). Wait 5 minutes, then try again.', e.info);
      }
      throw e;
    }
  }

  private async refresh(session: StrapiSession): Promise<StrapiSession | null> {
    if (this.refreshed || !session.cookie) return null;
    this.refreshed = true;
    try {
      const res = await this.http.request({
        method: 'POST',
        path: '/admin/access-token',
        json: {},
        headers: { cookie: session.cookie },
        schema: Envelope(z.object({ token: z.string() })),
        what: 'refreshing the admin session',
        idempotent: false,
        signal: this.ctx.signal,
      });
      const jwt = res.data.data.token;
      // The refresh cookie rotates: keep the new one or the next refresh fails.
      return await this.save({ jwt, cookie: cookiesFrom(res.headers, session.cookie), jwtExpiresAt: jwtExpiry(jwt) });
    } catch (e) {
      if (isRemoteFailure(e) && (e.code === 'bad-credential' || e.code === 'remote-forbidden')) return null;
      throw e;
    }
  }

  private async current(): Promise<StrapiSession> {
    const stored = StrapiSession.safeParse(this.ctx.login.get());
    if (!stored.success) return this.login();
    if (stored.data.jwtExpiresAt - 60_000 > Date.now()) return stored.data;
    return (await this.refresh(stored.data)) ?? this.login();
  }

  /** Runs `fn` with a valid admin JWT; on a 401 refreshes (or logs in) once and runs it again (a 401 changed nothing). */
  async run<T>(fn: (http: HttpClient) => Promise<T>): Promise<T> {
    let session = await this.current();
    for (;;) {
      try {
        return await fn(this.http.withHeaders({ authorization: `Bearer ${session.jwt}` }));
      } catch (e) {
        if (!isRemoteFailure(e) || e.code !== 'bad-credential' || this.loggedIn) throw e;
        const next = (await this.refresh(session)) ?? (await this.login());
        session = next;
      }
    }
  }
}

function toRemote(t: StrapiToken, now: Date): RemoteToken {
  return token({
    remoteId: String(t.id),
    name: t.name,
    description: t.description || null,
    type: t.type ?? null,
    scopes: (t.permissions ?? []).map((p) => (typeof p === 'string' ? p : ((p as { action?: string }).action ?? ''))).filter(Boolean),
    createdAt: t.createdAt ?? null,
    expiresAt: t.expiresAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    status: statusFromExpiry(t.expiresAt ?? null, now),
  });
}

async function listTokens(ctx: ProviderContext, runner: StrapiSessionRunner): Promise<RemoteToken[]> {
  const res = await runner.run((http) =>
    http.request({ method: 'GET', path: '/admin/api-tokens', schema: Envelope(z.array(StrapiToken)), what: 'listing API tokens', signal: ctx.signal }),
  );
  const now = ctx.now ? ctx.now() : new Date();
  return res.data.data.map((t) => toRemote(t, now));
}

async function getToken(ctx: ProviderContext, runner: StrapiSessionRunner, id: string): Promise<StrapiToken> {
  const res = await runner.run((http) =>
    http.request({ method: 'GET', path: `/admin/api-tokens/${encodeURIComponent(id)}`, schema: Envelope(StrapiToken), what: 'reading an API token', signal: ctx.signal }),
  );
  return res.data.data;
}

export const strapiProvider: Provider = {
  kind: 'strapi',
  label: 'Strapi',
  capabilities: {
    ...baseCapabilities,
    renew: 'regenerate',
    renewKeepsExpiry: true,
    expiry: 'presets',
    expiryPresets: PRESETS,
    types: ['read-only', 'full-access', 'custom'],
    scopes: [],
    freeScopes: true,
    lastUsed: true,
    notes: [
      'Regenerate keeps the old expiry date: to get a new lifetime, create a new token (re-create) and revoke the old one.',
      'Lifetimes are 7, 30 or 90 days, or unlimited.',
      'Custom tokens need permissions (scopes), e.g. api::article.article.find.',
    ],
  },
  fields: {
    baseUrl: 'required',
    username: 'required',
    usernameLabel: 'Admin email',
    adminSecret: 'required',
    adminSecretLabel: 'Admin password',
    tokenPageUrl: 'optional',
    options: { checkPath: 'A content API path to try tokens on (default /api/i18n/locales, which every Strapi 5 has)' },
  },
  // Strapi documents no admin API limit; stay gentle.
  rateLimit: { perSecond: 10, burst: 20 },

  async verify(ctx) {
    const runner = new StrapiSessionRunner(ctx);
    const res = await runner.run((http) =>
      http.request({ method: 'GET', path: '/admin/users/me', schema: Envelope(z.object({ email: z.string().nullish() })), what: 'checking the admin login', signal: ctx.signal }),
    );
    return { account: res.data.data.email ?? ctx.workspace.username ?? 'admin' };
  },

  async checkSecret(ctx, secret) {
    // i18n ships with every Strapi 5, so its locales route is always there. A working token that may not read it
    // gets 403; a wrong, revoked or regenerated-away one 401 ("Token expired" once past its lifespan).
    const path = ctx.workspace.options.checkPath || '/api/i18n/locales';
    return checkWith(
      () => ctx.http.withHeaders({ authorization: `Bearer ${secret}` }).request({ method: 'GET', path, schema: z.unknown(), what: 'checking a token', signal: ctx.signal }),
      () => VALID,
      { 401: (detail) => (detail && /expired/i.test(detail) ? EXPIRED : REFUSED), 403: VALID_LIMITED },
    );
  },

  list: (ctx) => listTokens(ctx, new StrapiSessionRunner(ctx)),

  async create(ctx, input) {
    const runner = new StrapiSessionRunner(ctx);
    const seconds = requestedLifetime(ctx, input, PRESETS);
    let lifespan: number | null = null;
    if (seconds !== undefined && seconds !== null) {
      // An absolute date must land on one of Strapi's lifespans (a day of slack for "in 30 days" typed as a date).
      const preset = PRESETS.find((p) => p.seconds !== null && Math.abs(p.seconds - seconds) <= DAY);
      if (!preset?.seconds) throw new AppFailure('invalid-argument', 'Strapi tokens last 7, 30 or 90 days, or never expire. Pick one of: 7d, 30d, 90d, never.');
      lifespan = preset.seconds * 1000;
    }
    const type = input.type ?? 'read-only';
    if (!strapiProvider.capabilities.types.includes(type)) throw new AppFailure('invalid-argument', `Strapi token types are read-only, full-access and custom (not "${type}").`);
    const body: Record<string, unknown> = { name: input.name, description: input.description ?? '', type, lifespan };
    if (type === 'custom') body.permissions = input.scopes ?? [];
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await runner.run((http) =>
          http.request({ method: 'POST', path: '/admin/api-tokens', json: body, schema: Envelope(StrapiToken), what: `creating token "${input.name}"`, idempotent: false, signal: ctx.signal }),
        );
        const secret = res.data.data.accessKey;
        if (!secret) throw new RemoteFailure('unexpected-response', 'Strapi created the token but sent no key. Check the Strapi version.', { maybeApplied: true });
        return { token: toRemote(res.data.data, new Date()), secret };
      },
      () => listTokens(ctx, runner),
      // With secrets.encryptionKey configured, Strapi can show the key again: the lost answer is recovered.
      { recover: async (t) => (await getToken(ctx, runner, t.remoteId)).accessKey ?? null },
    );
  },

  async renew(ctx, remoteId) {
    const runner = new StrapiSessionRunner(ctx);
    const res = await runner.run((http) =>
      http.request({
        method: 'POST',
        path: `/admin/api-tokens/${encodeURIComponent(remoteId)}/regenerate`,
        schema: Envelope(z.object({ accessKey: z.string() })),
        what: 'regenerating a token',
        idempotent: false,
        signal: ctx.signal,
      }),
    );
    const secret = res.data.data.accessKey;
    const after = await getToken(ctx, runner, remoteId).catch(() => null);
    const remote = after ? toRemote(after, new Date()) : token({ remoteId, name: remoteId });
    return { token: remote, secret };
  },

  async revoke(ctx, remoteId) {
    await new StrapiSessionRunner(ctx).run((http) =>
      http.request({ method: 'DELETE', path: `/admin/api-tokens/${encodeURIComponent(remoteId)}`, schema: z.unknown(), what: 'revoking a token', signal: ctx.signal }),
    );
  },
};
