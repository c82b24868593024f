import { z } from 'zod';
import { AppFailure } from '../errors';
import { baseCapabilities, COMMON_PRESETS, fromUnix, listOption, requestedLifetime, requireSecret, token } from './provider-support';
import { createOnce } from './create-once';
import { collectPages } from './pagination';
import type { Provider, ProviderContext, RemoteToken } from './provider-types';
import { checkWith, VALID, VALID_LIMITED } from './secret-check-support';

const Key = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string().nullish(),
    redacted_value: z.string().nullish(),
    created_at: z.number().nullish(),
    last_used_at: z.number().nullish(),
    expires_at: z.number().nullish(),
    owner: z.object({ type: z.string().nullish(), name: z.string().nullish() }).loose().nullish(),
    value: z.string().optional(),
  }),
);
type Key = z.infer<typeof Key>;

const ListPage = z.lazy(() => z.object({ object: z.literal('list'), data: z.array(Key), first_id: z.string().nullish(), last_id: z.string().nullish(), has_more: z.boolean() }));

type Owner = { kind: 'admin' } | { kind: 'project'; id: string };
const remoteIdOf = (o: Owner, id: string) => (o.kind === 'admin' ? `admin:${id}` : `project:${o.id}:${id}`);
const basePath = (o: Owner) => (o.kind === 'admin' ? '/v1/organization/admin_api_keys' : `/v1/organization/projects/${encodeURIComponent(o.id)}/api_keys`);

function parseRemoteId(remoteId: string): { owner: Owner; id: string } {
  const parts = remoteId.split(':');
  if (parts[0] === 'admin' && parts[1]) return { owner: { kind: 'admin' }, id: parts[1] };
  if (parts[0] === 'project' && parts[1] && parts[2]) return { owner: { kind: 'project', id: parts[1] }, id: parts[2] };
  throw new AppFailure('invalid-argument', `"${remoteId}" is not an OpenAI key id Token Vault knows. Sync the workspace.`);
}

function toRemote(owner: Owner, k: Key, now: Date): RemoteToken {
  const expiresAt = fromUnix(k.expires_at);
  return token({
    remoteId: remoteIdOf(owner, k.id),
    name: k.name ?? k.id,
    description: k.owner?.name ? `Owner: ${k.owner.name}${k.owner.type ? ` (${k.owner.type})` : ''}` : null,
    masked: k.redacted_value ?? null,
    type: owner.kind === 'admin' ? 'admin' : `project:${owner.id}`,
    createdAt: fromUnix(k.created_at),
    expiresAt,
    lastUsedAt: fromUnix(k.last_used_at),
    status: expiresAt && Date.parse(expiresAt) <= now.getTime() ? 'expired' : 'active',
  });
}

const authed = (ctx: ProviderContext) => ctx.http.withHeaders({ authorization: `Bearer ${requireSecret(ctx, 'admin key')}` });

async function listOwner(ctx: ProviderContext, owner: Owner): Promise<RemoteToken[]> {
  const http = authed(ctx);
  return collectPages<RemoteToken, string | undefined>({
    service: 'OpenAI',
    first: undefined,
    key: (after) => after ?? '',
    fetch: async (after) => {
      const res = await http.request({
        method: 'GET',
        path: basePath(owner),
        query: { limit: 100, after, ...(owner.kind === 'project' ? { owner_project_access: 'any' } : {}) },
        schema: ListPage,
        what: 'listing keys',
        signal: ctx.signal,
      });
      const now = new Date();
      return { items: res.data.data.map((k) => toRemote(owner, k, now)), next: res.data.has_more && res.data.last_id ? res.data.last_id : null };
    },
  });
}

async function listAll(ctx: ProviderContext): Promise<RemoteToken[]> {
  const out = await listOwner(ctx, { kind: 'admin' });
  for (const id of listOption(ctx, 'projects')) out.push(...(await listOwner(ctx, { kind: 'project', id })));
  return out;
}

function ownerForType(ctx: ProviderContext, type: string | undefined): Owner {
  if (!type || type === 'admin') return { kind: 'admin' };
  const [kind, id] = type.split(':');
  const projects = listOption(ctx, 'projects');
  const chosen = id ?? (projects.length === 1 ? projects[0] : undefined);
  if (kind !== 'project' || !chosen) throw new AppFailure('invalid-argument', 'OpenAI key types are admin and project:PROJECT_ID (a service account key in that project).');
  return { kind: 'project', id: chosen };
}

export const openaiProvider: Provider = {
  kind: 'openai',
  label: 'OpenAI',
  capabilities: {
    ...baseCapabilities,
    expiry: 'seconds',
    expiryPresets: COMMON_PRESETS,
    types: ['admin', 'project'],
    lastUsed: true,
    notes: [
      'Project keys are created as service accounts of the project (OpenAI has no API to create user keys).',
      'Admin keys do not expire; service-account keys can (up to 365 days).',
      'No rotate: Token Vault rotates by creating a new key, then revoking the old one once you confirm.',
    ],
  },
  fields: {
    baseUrl: 'required',
    defaultBaseUrl: 'https://api.openai.com',
    username: 'unused',
    adminSecret: 'required',
    adminSecretLabel: 'Admin API key',
    tokenPageUrl: 'optional',
    options: { projects: 'Comma-separated project ids whose keys to manage' },
  },
  rateLimit: { perSecond: 5, burst: 10 },

  async verify(ctx) {
    await authed(ctx).request({ method: 'GET', path: '/v1/organization/admin_api_keys', query: { limit: 1 }, schema: ListPage, what: 'checking the admin key', signal: ctx.signal });
    return { account: 'organization admin key' };
  },

  async checkSecret(ctx, secret, hint) {
    const http = ctx.http.withHeaders({ authorization: `Bearer ${secret}` });
    const admin = hint?.type === 'admin' || hint?.remoteId?.startsWith('admin:') || (!hint?.type && secret.startsWith('sk-admin-'));
    // Admin keys work only on the admin API; project keys on the model API, where a restricted key may get 403.
    return admin
      ? checkWith(() => http.request({ method: 'GET', path: '/v1/organization/admin_api_keys', query: { limit: 1 }, schema: ListPage, what: 'checking a key', signal: ctx.signal }), () => VALID)
      : checkWith(() => http.request({ method: 'GET', path: '/v1/models', schema: z.object({ data: z.array(z.unknown()) }).loose(), what: 'checking a key', signal: ctx.signal }), () => VALID, { 403: VALID_LIMITED });
  },

  list: listAll,

  async create(ctx, input) {
    const owner = ownerForType(ctx, input.type);
    const seconds = requestedLifetime(ctx, input, COMMON_PRESETS);
    const http = authed(ctx);
    if (owner.kind === 'admin') {
      if (seconds) throw new AppFailure('unsupported', 'OpenAI admin keys cannot expire. Create it without an expiry, or make a project service-account key.');
      return createOnce(
        ctx,
        input,
        async () => {
          const res = await http.request({ method: 'POST', path: basePath(owner), json: { name: input.name }, schema: Key, what: `creating key "${input.name}"`, idempotent: false, signal: ctx.signal });
          if (!res.data.value) throw new AppFailure('unexpected-response', 'OpenAI created the key but sent no value.');
          return { token: toRemote(owner, res.data, new Date()), secret: res.data.value };
        },
        () => listOwner(ctx, owner),
      );
    }
    if (seconds && seconds > 31_536_000) throw new AppFailure('invalid-argument', 'OpenAI service-account keys last at most 365 days.');
    return createOnce(
      ctx,
      input,
      async () => {
        const res = await http.request({
          method: 'POST',
          path: `/v1/organization/projects/${encodeURIComponent(owner.id)}/service_accounts`,
          json: { name: input.name, ...(seconds ? { expires_in_seconds: seconds } : {}) },
          schema: z.object({ id: z.string(), name: z.string(), api_key: Key }).loose(),
          what: `creating key "${input.name}"`,
          idempotent: false,
          signal: ctx.signal,
        });
        const key = res.data.api_key;
        if (!key.value) throw new AppFailure('unexpected-response', 'OpenAI created the service account but sent no key value.');
        return { token: toRemote(owner, { ...key, name: key.name ?? input.name }, new Date()), secret: key.value };
      },
      () => listOwner(ctx, owner),
    );
  },

  async revoke(ctx, remoteId) {
    const { owner, id } = parseRemoteId(remoteId);
    await authed(ctx).request({ method: 'DELETE', path: `${basePath(owner)}/${encodeURIComponent(id)}`, schema: z.unknown(), what: 'revoking a key', signal: ctx.signal });
  },
};
