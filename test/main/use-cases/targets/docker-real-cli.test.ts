import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractServer } from '../../../servers/contract/contract-server';
import { expectRefused, expectWritten, push, tempDirs } from './target-test-kit';

const run = promisify(execFile);
const tmp = tempDirs();
const dockerCli = (() => {
  try {
    execFileSync('docker', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A registry that asks for Basic auth, like a private registry does: the test reads what the Docker CLI sent. */
const registry = new ContractServer([
  ['GET', /^\/v2\/$/, () => ({ status: 401, json: {}, headers: { 'www-authenticate': 'Basic realm="test"', 'docker-distribution-api-version': 'registry/2.0' } })],
  ['GET', /^\/v2\/.+\/manifests\/.+$/, (req) => (req.headers.authorization ? { status: 404, json: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] } } : { status: 401, json: {}, headers: { 'www-authenticate': 'Basic realm="test"' } })],
]);
let host = '';
beforeAll(async () => {
  host = new URL(await registry.start()).host;
});
afterAll(() => registry.stop());

/** `docker manifest inspect` talks to the registry from the CLI itself (no daemon needed) with the config's credentials. */
async function dockerSends(configDir: string, extraPath = ''): Promise<string[]> {
  registry.requests.splice(0);
  await run('docker', ['manifest', 'inspect', '--insecure', `${host}/app:latest`], { env: { ...process.env, DOCKER_CONFIG: configDir, PATH: `${extraPath}${process.env.PATH ?? ''}` }, timeout: 30_000 }).catch(() => undefined);
  return registry.requests.map((r) => r.headers.authorization ?? '').filter(Boolean);
}

describe.skipIf(!dockerCli)('Docker config target read by the real Docker CLI (skipped when no docker binary is installed)', () => {
  it('the CLI sends exactly base64(user:secret) from the auths entry Token Vault wrote', async () => {
    const dir = tmp();
    const secret = 'dckr_pat_Real:CLI-check';
    writeFileSync(join(dir, 'config.json'), '{\n\t"auths": {},\n\t"psFormat": "table"\n}\n');
    expectWritten(await push({ kind: 'docker', path: join(dir, 'config.json'), key: host, user: 'ci-bot' }, secret), 'created');
    const sent = await dockerSends(dir);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([`Basic ${Buffer.from(`ci-bot:${secret}`).toString('base64')}`]));
  }, 60_000);

  it('with a credential store configured the CLI ignores auths[host].auth, which is why such a file is refused', async () => {
    const dir = tmp();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // a working helper that holds nothing for this registry, as Docker Desktop's would
    writeFileSync(join(bin, 'docker-credential-tvtest'), '#!/bin/sh\ncat >/dev/null\necho "credentials not found in native keychain"\nexit 1\n');
    chmodSync(join(bin, 'docker-credential-tvtest'), 0o755);
    const config = `{"auths": {"${host}": {"auth": "${Buffer.from('me:written-by-hand').toString('base64')}"}}, "credsStore": "tvtest"}`;
    writeFileSync(join(dir, 'config.json'), config);
    expect(await dockerSends(dir, `${bin}:`)).toEqual([]);
    expectRefused(await push({ kind: 'docker', path: join(dir, 'config.json'), key: host, user: 'me' }, 'new-secret'), 'docker-credential-elsewhere');
  }, 60_000);
});
