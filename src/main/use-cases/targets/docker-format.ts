import type { TargetSpecOf } from '../../../shared/deployment-targets';
import { assertReadsBack, type FileFormat } from './file-format';
import { assertOnlyChanged, newJsonText, parseStrictJson, setJsonText } from './json-format';
import { TargetFailure } from './target-failure';

/**
 * ~/.docker/config.json: `auths[registry].auth` = base64(user:secret), which the Docker CLI decodes when no
 * credential helper holds the registry. Keys are matched the way the CLI does (scheme and path dropped), and Docker
 * Hub's aliases all mean its one key, `https://index.docker.io/v1/`.
 */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** docker/cli `ConvertToHostname`, with Docker Hub's aliases folded into one. */
export function dockerHost(key: string): string {
  const host = key.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_HOSTS.has(host) ? 'index.docker.io' : host;
}

/** The `auths` key a fresh login would write. */
export const dockerAuthKey = (registry: string) => (dockerHost(registry) === 'index.docker.io' ? DOCKER_HUB_KEY : registry.replace(/^https?:\/\//i, '').replace(/\/+$/, ''));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function configOf(text: string): Obj {
  const data = parseStrictJson(text, 'Docker configuration (JSON)');
  if (!isObj(data)) throw new TargetFailure('path-conflict', 'The Docker configuration is not a JSON object; the file was left as it was.', '(top)');
  return data;
}

function matchingAuths(config: Obj, spec: TargetSpecOf<'docker'>): string[] {
  const auths = config.auths;
  if (auths === undefined) return [];
  if (!isObj(auths)) throw new TargetFailure('path-conflict', 'The Docker configuration has an "auths" that is not an object; the file was left as it was.', 'auths');
  const host = dockerHost(spec.key);
  return Object.keys(auths).filter((k) => dockerHost(k) === host);
}

const encodeAuth = (user: string, secret: string) => Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');

export const dockerFormat: FileFormat<'docker'> = {
  expected: (spec, secret) => `${spec.user}:${secret}`,

  read(text, spec) {
    const config = configOf(text);
    const auths = (config.auths ?? {}) as Obj;
    return matchingAuths(config, spec).map((k) => {
      const auth = isObj(auths[k]) ? (auths[k] as Obj).auth : undefined;
      return typeof auth === 'string' ? Buffer.from(auth, 'base64').toString('utf8') : '';
    });
  },

  edit(text, spec, secret) {
    const auth = encodeAuth(spec.user, secret);
    // Docker writes its config with tabs
    if (text === null || text.trim() === '') {
      return { text: newJsonText(['auths', dockerAuthKey(spec.key), 'auth'], auth, '\t'), change: 'created', requoted: false, occurrences: 1 };
    }
    const config = configOf(text);
    // With a credential helper Docker never reads `auth` for the registry: writing it would look done and do nothing.
    if (typeof config.credsStore === 'string' && config.credsStore !== '') {
      throw new TargetFailure('docker-credential-elsewhere', 'Docker keeps its registry passwords in a credential store, not in this file; the file was left as it was.', 'credsStore');
    }
    if (isObj(config.credHelpers) && Object.keys(config.credHelpers).some((k) => dockerHost(k) === dockerHost(spec.key))) {
      throw new TargetFailure('docker-credential-elsewhere', 'Docker uses a credential helper for this registry, not this file; the file was left as it was.', 'credHelpers');
    }
    const keys = matchingAuths(config, spec);
    const auths = (config.auths ?? {}) as Obj;
    const changes: [string[], unknown][] = [];
    for (const k of keys) {
      const entry = auths[k];
      if (isObj(entry) && typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
        throw new TargetFailure('docker-credential-elsewhere', 'Docker signs in to this registry with an identity token, not a password; the file was left as it was.', 'identitytoken');
      }
      if (entry !== undefined && !isObj(entry)) throw new TargetFailure('path-conflict', 'A matching "auths" entry is not an object; the file was left as it was.', `auths.${k}`.slice(0, 200));
      changes.push([['auths', k, 'auth'], auth]);
      // older configs spell the credential out as well; leave no old password beside the new one
      if (isObj(entry) && typeof entry.password === 'string') changes.push([['auths', k, 'password'], secret]);
      if (isObj(entry) && typeof entry.username === 'string') changes.push([['auths', k, 'username'], spec.user]);
    }
    if (keys.length === 0) changes.push([['auths', dockerAuthKey(spec.key), 'auth'], auth]);
    let out = text;
    for (const [path, value] of changes) out = setJsonText(out, path, value as string, '\t');
    if (out === text) return { text, change: 'unchanged', requoted: false, occurrences: keys.length };
    assertReadsBack(dockerFormat, out, spec, secret);
    assertOnlyChanged(text, out, changes);
    const added = keys.length === 0 || keys.some((k) => !isObj(auths[k]) || !('auth' in (auths[k] as Obj)));
    return { text: out, change: added ? 'created' : 'updated', requoted: false, occurrences: Math.max(1, keys.length) };
  },
};
