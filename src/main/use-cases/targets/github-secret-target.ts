import { z } from 'zod';
import type { HttpClient } from '../../providers/http/http-client';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import type { TargetSpecOf } from '../../../shared/deployment-targets';
import { sealTo } from './sealed-box';
import { adminSecretOf, type TargetConnection } from './target-ports';
import { TargetFailure } from './target-failure';
import { AppFailure } from '../../errors';

/**
 * GitHub Actions secrets (PROVIDERS.md 4.5; docs.github.com/rest/actions/secrets, .../guides/encrypting-secrets-for-the-rest-api).
 * The value is sealed to the repository's (or organisation's) public key and never reads back; the secret's
 * `updated_at` is the only trace of a write.
 */
type Spec = TargetSpecOf<'github-secret'>;

const PublicKey = z.lazy(() => z.object({ key_id: z.string().min(1), key: z.string().min(1) }));
const SecretMeta = z.lazy(() => z.object({ name: z.string(), created_at: z.string(), updated_at: z.string(), visibility: z.enum(['all', 'private', 'selected']).optional() }).loose());
type SecretMeta = z.infer<typeof SecretMeta>;

/** GitHub's limit on a secret's size. */
export const GITHUB_SECRET_MAX_BYTES = 48 * 1024;

function collection(spec: Spec): string {
  if (spec.level === 'org') return `/orgs/${encodeURIComponent(spec.owner)}/actions/secrets`;
  const [owner, repo] = spec.owner.split('/');
  return `/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(repo!)}/actions/secrets`;
}

function client(conn: TargetConnection): HttpClient {
  return conn.http.withHeaders({
    authorization: `Bearer ${adminSecretOf(conn, 'access token')}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  });
}

async function readMeta(http: HttpClient, spec: Spec, signal?: AbortSignal): Promise<SecretMeta | null> {
  try {
    return (await http.request({ method: 'GET', path: `${collection(spec)}/${encodeURIComponent(spec.name)}`, schema: SecretMeta, what: `reading Actions secret ${spec.name}`, signal })).data;
  } catch (e) {
    if (isRemoteFailure(e) && e.info.status === 404) return null;
    throw e;
  }
}

export interface GithubWrite {
  change: 'created' | 'updated';
  /** `updated_at` right after our write: verify compares with it. */
  updatedAt: string;
}

export async function writeGithubSecret(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<GithubWrite> {
  if (Buffer.byteLength(secret, 'utf8') > GITHUB_SECRET_MAX_BYTES) throw new TargetFailure('too-large', 'GitHub keeps secrets of at most 48 KB; nothing was written.');
  const http = client(conn);
  const before = spec.level === 'org' && spec.visibility === undefined ? await readMeta(http, spec, signal) : null;
  const key = (await http.request({ method: 'GET', path: `${collection(spec)}/public-key`, schema: PublicKey, what: 'reading the public key for secrets', signal })).data;
  const body: Record<string, unknown> = { encrypted_value: await sealTo(key.key, secret), key_id: key.key_id };
  // the current API requires visibility for org secrets; an existing secret keeps its own
  if (spec.level === 'org') body.visibility = spec.visibility ?? before?.visibility ?? 'private';
  const res = await http.request({ method: 'PUT', path: `${collection(spec)}/${encodeURIComponent(spec.name)}`, json: body, what: `writing Actions secret ${spec.name}`, signal });
  const after = await readMeta(http, spec, signal);
  if (!after) throw new AppFailure('unexpected-response', 'GitHub accepted the secret but does not show it afterwards.');
  return { change: res.status === 201 ? 'created' : 'updated', updatedAt: after.updated_at };
}

/** present-since-push: not written again after our push; changed-since-push: someone wrote it after us. */
export async function checkGithubSecret(spec: Spec, conn: TargetConnection, since: string | null, signal?: AbortSignal): Promise<'present' | 'present-since-push' | 'changed-since-push' | 'missing'> {
  const meta = await readMeta(client(conn), spec, signal);
  if (!meta) return 'missing';
  if (since === null) return 'present';
  return Date.parse(meta.updated_at) > Date.parse(since) ? 'changed-since-push' : 'present-since-push';
}
