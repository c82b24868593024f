import { z } from 'zod';
import type { HttpClient } from '../../providers/http/http-client';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import type { TargetSpecOf } from '../../../shared/deployment-targets';
import { adminSecretOf, type TargetConnection } from './target-ports';
import { TargetFailure } from './target-failure';

/**
 * HashiCorp Vault KV version 2 (PROVIDERS.md 4.5; hashicorp/vault `website/content/api-docs/secret/kv/kv-v2.mdx`).
 * One key of a secret holds the token; the other keys are kept. Every write carries check-and-set with the version
 * it was based on, so a concurrent writer's keys are never overwritten unseen (and cas_required mounts accept it).
 */
type Spec = TargetSpecOf<'vault-kv'>;

const ReadData = z.lazy(() =>
  z.object({
    data: z.object({
      data: z.record(z.string(), z.unknown()).nullable(),
      metadata: z.object({ version: z.number().int(), deletion_time: z.string().optional(), destroyed: z.boolean().optional() }).loose(),
    }),
  }),
);
const WriteData = z.lazy(() => z.object({ data: z.object({ version: z.number().int() }).loose() }));
const Metadata = z.lazy(() => z.object({ data: z.object({ current_version: z.number().int() }).loose() }));

const segments = (p: string) =>
  p
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s))
    .join('/');
const dataPath = (spec: Spec) => `/v1/${segments(spec.mount)}/data/${segments(spec.path)}`;
const metadataPath = (spec: Spec) => `/v1/${segments(spec.mount)}/metadata/${segments(spec.path)}`;

function client(conn: TargetConnection): HttpClient {
  return conn.http.withHeaders({ 'x-vault-token': adminSecretOf(conn, 'Vault token') });
}

interface Current {
  data: Record<string, unknown> | null;
  version: number;
}

async function readCurrent(http: HttpClient, spec: Spec, signal?: AbortSignal): Promise<Current | null> {
  try {
    const res = await http.request({ method: 'GET', path: dataPath(spec), schema: ReadData, what: `reading ${spec.mount}/${spec.path}`, signal });
    return { data: res.data.data.data, version: res.data.data.metadata.version };
  } catch (e) {
    // no secret, or its latest version deleted (Vault answers 404 for both)
    if (isRemoteFailure(e) && e.info.status === 404) return null;
    throw e;
  }
}

const casMismatch = (e: unknown) => isRemoteFailure(e) && e.info.status === 400 && /check-and-set/i.test(e.info.detail ?? '');

const ROUNDS = 6;

export async function writeVaultKv(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<{ change: 'created' | 'updated' | 'unchanged'; version: number }> {
  const http = client(conn);
  // When the latest version is deleted, the secret cannot be read but its version still counts for cas.
  let deletedVersion: number | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    const current = await readCurrent(http, spec, signal);
    if (current?.data && current.data[spec.key] === secret) return { change: 'unchanged', version: current.version };
    const cas = current ? current.version : (deletedVersion ?? 0);
    const data = { ...(current?.data ?? {}), [spec.key]: secret };
    try {
      // cas makes a repeated write harmless (it fails and the next round finds the value), so a retry is safe
      const res = await http.request({ method: 'POST', path: dataPath(spec), json: { data, options: { cas } }, schema: WriteData, what: `writing ${spec.mount}/${spec.path}`, idempotent: true, signal });
      return { change: current?.data && spec.key in current.data ? 'updated' : 'created', version: res.data.data.version };
    } catch (e) {
      if (!casMismatch(e)) throw e;
      if (!current) {
        const meta = await http.request({ method: 'GET', path: metadataPath(spec), schema: Metadata, what: `reading the versions of ${spec.mount}/${spec.path}`, signal });
        deletedVersion = meta.data.data.current_version;
      }
    }
  }
  throw new TargetFailure('io-error', 'The Vault secret kept changing while Token Vault was writing it; try again.', 'busy');
}

export async function checkVaultKv(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<{ result: 'value-read-back' | 'missing' | 'value-differs'; version: number | null }> {
  const current = await readCurrent(client(conn), spec, signal);
  if (!current?.data || !(spec.key in current.data)) return { result: 'missing', version: current?.version ?? null };
  return { result: current.data[spec.key] === secret ? 'value-read-back' : 'value-differs', version: current.version };
}
