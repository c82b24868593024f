import { z } from 'zod';
import type { HttpClient } from '../../providers/http/http-client';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import type { TargetSpecOf } from '../../../shared/deployment-targets';
import { adminSecretOf, type TargetConnection } from './target-ports';
import { TargetFailure } from './target-failure';

/**
 * GitLab CI/CD variables (PROVIDERS.md 4.5; gitlabhq `lib/api/ci/variables.rb`, `app/models/concerns/ci/maskable.rb`).
 * Needs the Maintainer role. The value reads back unless the variable is hidden.
 */
type Spec = TargetSpecOf<'gitlab-variable'>;

const Variable = z.lazy(() =>
  z
    .object({
      key: z.string(),
      value: z.string().nullable(),
      protected: z.boolean().optional(),
      masked: z.boolean().optional(),
      hidden: z.boolean().optional(),
      raw: z.boolean().optional(),
      environment_scope: z.string().optional(),
    })
    .loose(),
);
type Variable = z.infer<typeof Variable>;

export type MaskProblem = 'too-short' | 'whitespace' | 'characters';

/**
 * Why GitLab would refuse to mask this value, or null. Raw (not expanded) variables: at least 8 characters, no
 * whitespace (MASK_AND_RAW_REGEX `\A\S{8,}\z`; Ruby's \s is ASCII). Expanded ones: also only the Base64 alphabet
 * and `@ : . ~` (REGEX `\A[a-zA-Z0-9_+=/@:.~-]{8,}\z`).
 */
export function maskProblem(value: string, raw: boolean): MaskProblem | null {
  if (/[ \t\r\n\f\v]/.test(value)) return 'whitespace';
  if (!raw && !/^[a-zA-Z0-9_+=/@:.~-]*$/.test(value)) return 'characters';
  if (value.length < 8) return 'too-short';
  return null;
}

const collection = (spec: Spec) => `/api/v4/${spec.level === 'project' ? 'projects' : 'groups'}/${encodeURIComponent(spec.owner)}/variables`;

// Projects always take the scope filter; on groups it is a paid feature, so it is sent only when a scope is named.
const scopeFilter = (spec: Spec) => (spec.level === 'project' || spec.environmentScope !== '*' ? { 'filter[environment_scope]': spec.environmentScope } : {});

function client(conn: TargetConnection): HttpClient {
  return conn.http.withHeaders({ 'private-token': adminSecretOf(conn, 'access token') });
}

async function readVariable(http: HttpClient, spec: Spec, signal?: AbortSignal): Promise<Variable | null> {
  try {
    const res = await http.request({ method: 'GET', path: `${collection(spec)}/${encodeURIComponent(spec.key)}`, query: scopeFilter(spec), schema: Variable, what: `reading CI/CD variable ${spec.key}`, signal });
    return res.data;
  } catch (e) {
    // "404 Variable Not Found" means no such variable; "404 Project Not Found" (or Group) is a real failure
    if (isRemoteFailure(e) && e.info.status === 404 && /variable/i.test(e.info.detail ?? '')) return null;
    throw e;
  }
}

function assertMaskable(spec: Spec, secret: string): void {
  if (!spec.masked && !spec.hidden) return;
  const problem = maskProblem(secret, spec.raw);
  if (problem) throw new TargetFailure('not-maskable', `GitLab cannot mask this secret (${problem}); nothing was written. The variable can be written unmasked if that is acceptable.`, problem);
}

export async function writeGitlabVariable(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<'created' | 'updated' | 'unchanged'> {
  assertMaskable(spec, secret);
  const http = client(conn);
  const existing = await readVariable(http, spec, signal);
  const update = async () => {
    const body: Record<string, unknown> = { value: secret, raw: spec.raw };
    if (!existing?.hidden) body.masked = spec.masked || spec.hidden;
    if (spec.protected !== undefined) body.protected = spec.protected;
    await http.request({ method: 'PUT', path: `${collection(spec)}/${encodeURIComponent(spec.key)}`, query: scopeFilter(spec), json: body, schema: Variable, what: `updating CI/CD variable ${spec.key}`, signal });
  };
  if (existing) {
    const same =
      existing.value === secret &&
      (existing.masked ?? false) === (spec.masked || spec.hidden) &&
      (existing.raw ?? false) === spec.raw &&
      (spec.protected === undefined || existing.protected === spec.protected);
    if (same) return 'unchanged';
    await update();
    return 'updated';
  }
  const body = {
    key: spec.key,
    value: secret,
    variable_type: 'env_var',
    masked: spec.masked || spec.hidden,
    ...(spec.hidden ? { masked_and_hidden: true } : {}),
    raw: spec.raw,
    protected: spec.protected ?? false,
    environment_scope: spec.environmentScope,
  };
  try {
    await http.request({ method: 'POST', path: collection(spec), json: body, schema: Variable, what: `creating CI/CD variable ${spec.key}`, idempotent: false, signal });
    return 'created';
  } catch (e) {
    if (!isRemoteFailure(e)) throw e;
    // another writer created it between our read and our create ("has already been taken"): update it instead
    if (e.info.status === 400 && (await readVariable(http, spec, signal))) {
      await update();
      return 'updated';
    }
    // the create may have happened without an answer: a second create would fail, so look
    if (e.info.maybeApplied) {
      const now = await readVariable(http, spec, signal);
      if (now && (now.value === secret || now.value === null)) return 'created';
    }
    throw e;
  }
}

export async function checkGitlabVariable(spec: Spec, secret: string, conn: TargetConnection, signal?: AbortSignal): Promise<'value-read-back' | 'missing' | 'value-differs' | 'hidden-value'> {
  const variable = await readVariable(client(conn), spec, signal);
  if (!variable) return 'missing';
  if (variable.value === null || variable.hidden) return 'hidden-value';
  return variable.value === secret ? 'value-read-back' : 'value-differs';
}
