import { z } from 'zod';
import type { HttpClient } from '../../providers/http/http-client';
import type { TargetSpecOf } from '../../../shared/deployment-targets';
import { adminSecretOf, type TargetConnection } from './target-ports';

/**
 * Gitea / Forgejo Actions secrets (PROVIDERS.md 4.5; go-gitea/gitea `routers/api/v1/api.go` addActionsRoutes,
 * `modules/structs/secret.go`). Write-only: the value never reads back and a secret carries no update time, so
 * verifying can only show that it exists.
 */
type Spec = TargetSpecOf<'gitea-secret'>;

const SecretItem = z.lazy(() => z.object({ name: z.string(), created_at: z.string().optional() }).loose());
const PAGE = 50;

function collection(spec: Spec): string {
  switch (spec.level) {
    case 'repo': {
      const [owner, repo] = spec.owner.split('/');
      return `/api/v1/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(repo!)}/actions/secrets`;
    }
    case 'org':
      return `/api/v1/orgs/${encodeURIComponent(spec.owner)}/actions/secrets`;
    case 'user':
      return '/api/v1/user/actions/secrets';
  }
}

/** A Gitea workspace signs in with user + password (Basic, as for its token API) or with an access token alone. */
function client(conn: TargetConnection): HttpClient {
  const secret = adminSecretOf(conn, 'password or access token');
  const user = conn.workspace.username;
  const authorization = user ? `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` : `token ${secret}`;
  return conn.http.withHeaders({ authorization });
}

export async function writeGiteaSecret(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<'created' | 'updated'> {
  const res = await client(conn).request({
    method: 'PUT',
    path: `${collection(spec)}/${encodeURIComponent(spec.name)}`,
    json: { data: secret },
    what: `writing Actions secret ${spec.name}`,
    signal,
  });
  return res.status === 201 ? 'created' : 'updated';
}

export async function checkGiteaSecret(spec: Spec, conn: TargetConnection, signal?: AbortSignal): Promise<'present' | 'missing'> {
  const http = client(conn);
  const wanted = spec.name.toUpperCase(); // Gitea stores names upper-cased
  let seen = 0;
  for (let page = 1; page <= 1000; page++) {
    const res = await http.request({ method: 'GET', path: collection(spec), query: { page, limit: PAGE }, schema: z.array(SecretItem), what: 'listing Actions secrets', signal });
    if (res.data.some((s) => s.name.toUpperCase() === wanted)) return 'present';
    seen += res.data.length;
    // the server may cap `limit` below ours: X-Total-Count says when the list is done
    const total = Number(res.headers.get('x-total-count') ?? 'NaN');
    if (res.data.length === 0 || (Number.isFinite(total) ? seen >= total : res.data.length < PAGE)) return 'missing';
  }
  return 'missing';
}
