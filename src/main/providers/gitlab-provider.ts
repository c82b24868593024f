import { z } from 'zod';
import { AppFailure } from '../errors';
import type { HttpClient } from './http/http-client';
import { baseCapabilities, COMMON_PRESETS, isoDay, listOption, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, EXPIRED, REFUSED, VALID } from './secret-check-support';

const GitlabToken = z.lazy(() =>
  z.object({
    id: z.number(),
    name: z.string(),
    description: z.string().nullish(),
    revoked: z.boolean().nullish(),
    active: z.boolean().nullish(),
    created_at: z.string().nullish(),
    scopes: z.array(z.string()).nullish(),
    last_used_at: z.string().nullish(),
    expires_at: z.string().nullish(),
    access_level: z.number().nullish(),
    token: z.string().optional(),
  }),
);
type GitlabToken = z.infer<typeof GitlabToken>;

/** Where a token lives: the owner part of the remote id (`pat:12`, `project:7:12`, `group:3:12`). */
type Owner = { kind: 'pat' } | { kind: 'project' | 'group'; id: string };

const ownerPath = (o: Owner) => (o.kind === 'pat' ? '/personal_access_tokens' : `/${o.kind === 'project' ? 'projects' : 'groups'}/${encodeURIComponent(o.id)}/access_tokens`);
const remoteIdOf = (o: Owner, id: number | string) => (o.kind === 'pat' ? `pat:${id}` : `${o.kind}:${o.id}:${id}`);

function parseRemoteId(remoteId: string): { owner: Owner; id: string } {
  const parts = remoteId.split(':');
  if (parts[0] === 'pat' && parts[1]) return { owner: { kind: 'pat' }, id: parts[1] };
  if ((parts[0] === 'project' || parts[0] === 'group') && parts[1] && parts[2]) return { owner: { kind: parts[0], id: parts[1] }, id: parts[2] };
  throw new AppFailure('invalid-argument', `"${remoteId}" is not a GitLab token id Token Vault knows. Sync the workspace.`);
}

function toRemote(owner: Owner, t: GitlabToken): RemoteToken {
  const status = t.revoked ? 'revoked' : t.active === false ? 'expired' : 'active';
  return token({
    remoteId: remoteIdOf(owner, t.id),
    name: t.name,
    description: t.description || null,
    type: owner.kind === 'pat' ? 'personal' : `${owner.kind}:${owner.id}`,
    scopes: t.scopes ?? [],
    createdAt: t.created_at ?? null,
    // GitLab expires a token at the start of its expiry day (UTC).
    expiresAt: t.expires_at ? new Date(`${t.expires_at.slice(0, 10)}T00:00:00Z`).toISOString() : null,
    lastUsedAt: t.last_used_at ?? null,
    status,
  });
}

const authed = (ctx: ProviderContext): HttpClient => ctx.http.withHeaders({ 'private-token': requireSecret(ctx, 'access token') });

async function listOwner(ctx: ProviderContext, owner: Owner): Promise<RemoteToken[]> {
  const http = authed(ctx);
  return collectPages({
    service: 'GitLab',
    first: '1',
    fetch: async (page: string) => {
      const res = await http.request({
        method: 'GET',
        path: `/api/v4${ownerPath(owner)}`,
        query: { per_page: 100, page },
        schema: z.array(GitlabToken),
        what: 'listing access tokens',
        signal: ctx.signal,
      });
      return { items: res.data.map((t) => toRemote(owner, t)), next: res.headers.get('x-next-page') || null };
    },
  });
}

function owners(ctx: ProviderContext): Owner[] {
  return [
    { kind: 'pat' },
    ...listOption(ctx, 'projects').map((id): Owner => ({ kind: 'project', id })),
    ...listOption(ctx, 'groups').map((id): Owner => ({ kind: 'group', id })),
  ];
}

async function listAll(ctx: ProviderContext): Promise<RemoteToken[]> {
  const out: RemoteToken[] = [];
  for (const owner of owners(ctx)) out.push(...(await listOwner(ctx, owner)));
  return out;
}

/** `personal` (default), `project:ID`, `group:ID`, or plain `project`/`group` when the workspace has exactly one. */
function ownerForType(ctx: ProviderContext, type: string | undefined): Owner {
  if (!type || type === 'personal') return { kind: 'pat' };
  const [kind, id] = type.split(':');
  if (kind !== 'project' && kind !== 'group') throw new AppFailure('invalid-argument', `GitLab token types are personal, project:ID and group:ID (not "${type}").`);
  const configured = listOption(ctx, kind === 'project' ? 'projects' : 'groups');
  const chosen = id ?? (configured.length === 1 ? configured[0] : undefined);
  if (!chosen) throw new AppFailure('invalid-argument', `Say which ${kind}: give the type as ${kind}:ID.`, { field: 'type' });
  return { kind, id: chosen };
}

const gitlabScopes = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository', 'read_registry', 'write_registry', 'create_runner', 'self_rotate'];

export const gitlabProvider: Provider = {
  kind: 'gitlab',
  label: 'GitLab',
  capabilities: {
    ...baseCapabilities,
    renew: 'rotate',
    // "default expiry 1 week if expiry is mandatory" (PROVIDERS.md 3.2).
    renewDefaultExpiryDays: 7,
    expiry: 'date',
    expiryPresets: COMMON_PRESETS.filter((p) => p.id !== 'never'),
    expiryRequired: true,
    types: ['personal', 'project', 'group'],
    scopes: gitlabScopes,
    freeScopes: true,
    scopesRequired: true,
    lastUsed: true,
    notes: [
      'Rotate issues a new token id and secret and revokes the old one at once.',
      'Rotating a token that was already revoked makes GitLab revoke the whole token family.',
      'Personal tokens for users need an administrator token on self-managed GitLab.',
    ],
  },
  fields: {
    baseUrl: 'required',
    defaultBaseUrl: 'https://gitlab.com',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'Personal access token (admin, scope api)',
    tokenPageUrl: 'optional',
    options: {
      projects: 'Comma-separated project ids whose project access tokens to manage',
      groups: 'Comma-separated group ids whose group access tokens to manage',
      userId: 'User id personal tokens are created for (default: the token owner)',
    },
  },
  // GitLab.com: 2,000 requests per minute per user.
  rateLimit: { perSecond: 30, burst: 30 },

  async verify(ctx) {
    const res = await authed(ctx).request({ method: 'GET', path: '/api/v4/user', schema: z.object({ username: z.string() }), what: 'checking the access token', signal: ctx.signal });
    return { account: res.data.username };
  },

  async checkSecret(ctx, secret) {
    // Any token may read itself whatever its scopes (self_information.rb), personal, project or group alike.
    return checkWith(
      () => ctx.http.withHeaders({ 'private-token': secret }).request({ method: 'GET', path: '/api/v4/personal_access_tokens/self', schema: GitlabToken, what: 'checking a token', signal: ctx.signal }),
      (res) => (res.data.revoked ? REFUSED : res.data.active === false ? EXPIRED : VALID),
    );
  },

  list: listAll,

  async create(ctx, input) {
    // GitLab refuses a token without scopes; choosing one for the user (read_api) would hand out rights nobody asked for.
    if (!input.scopes?.length) throw new AppFailure('invalid-argument', `GitLab needs at least one scope for a new token (${gitlabScopes.slice(0, 4).join(', ')}…).`);
    const owner = ownerForType(ctx, input.type);
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const expires = seconds === undefined || seconds === null ? undefined : isoDay(new Date(Date.now() + seconds * 1000));
    const http = authed(ctx);
    let path: string;
    if (owner.kind === 'pat') {
      const userId =
        ctx.workspace.options.userId ??
        String((await http.request({ method: 'GET', path: '/api/v4/user', schema: z.object({ id: z.number() }), what: 'finding the user', signal: ctx.signal })).data.id);
      path = `/api/v4/users/${encodeURIComponent(userId)}/personal_access_tokens`;
    } else {
      path = `/api/v4${ownerPath(owner)}`;
    }
    const body = { name: input.name, description: input.description, scopes: input.scopes, expires_at: expires };
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await http.request({ method: 'POST', path, json: body, schema: GitlabToken, what: `creating token "${input.name}"`, idempotent: false, signal: ctx.signal });
        if (!res.data.token) throw new AppFailure('unexpected-response', 'GitLab created the token but sent no secret.');
        return { token: toRemote(owner, res.data), secret: res.data.token };
      },
      () => listOwner(ctx, owner),
    );
  },

  async renew(ctx, remoteId, input) {
    const { owner, id } = parseRemoteId(remoteId);
    const expires = input?.expiresAt ? input.expiresAt.slice(0, 10) : undefined;
    const res = await authed(ctx).request({
      method: 'POST',
      path: `/api/v4${ownerPath(owner)}/${encodeURIComponent(id)}/rotate`,
      json: expires ? { expires_at: expires } : {},
      schema: GitlabToken,
      what: 'rotating a token',
      idempotent: false,
      signal: ctx.signal,
    });
    if (!res.data.token) throw new AppFailure('unexpected-response', 'GitLab rotated the token but sent no secret.');
    return { token: toRemote(owner, res.data), secret: res.data.token };
  },

  async revoke(ctx, remoteId) {
    const { owner, id } = parseRemoteId(remoteId);
    await authed(ctx).request({ method: 'DELETE', path: `/api/v4${ownerPath(owner)}/${encodeURIComponent(id)}`, what: 'revoking a token', signal: ctx.signal });
  },
};
