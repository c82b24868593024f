import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmRegistryPrefix } from '../../../../src/shared/deployment-targets';
import { addVerdaccioUser, serverInstalled, startVerdaccio, type RealServer } from '../../../servers/real-servers';
import { expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const run = promisify(execFile);
const tmp = tempDirs();
const installed = serverInstalled('verdaccio');
const BIN = resolve(import.meta.dirname, '../../../../node_modules/.bin');

/** `npm adduser`/`npm login` against Verdaccio: the answer carries a session token. */
async function login(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` },
    body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const token = ((await res.json()) as { token?: string }).token;
  if (!token) throw new Error(`login failed: ${res.status}`);
  return token;
}

/** The real npm CLI reading only this .npmrc (no global or user config of the machine). */
async function whoami(npmrc: string, registry: string, home: string): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run('npm', ['whoami', '--userconfig', npmrc, '--registry', registry], {
      env: { PATH: `${BIN}:${process.env.PATH ?? ''}`, HOME: home, NPM_CONFIG_GLOBALCONFIG: join(home, 'none'), NPM_TOKEN: 'from-the-environment', npm_config_cache: join(home, 'cache') },
      timeout: 60_000,
    });
    return { ok: true, out: stdout.trim() };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: string }).stderr ?? e) };
  }
}

describe.skipIf(!installed)('npmrc target read by the real npm CLI against real Verdaccio (skipped when test/servers/verdaccio is not installed)', () => {
  let verdaccio: RealServer;
  beforeAll(async () => {
    verdaccio = await startVerdaccio();
    await addVerdaccioUser(verdaccio.url, 'alice', 'alice-pass-1');
  }, 120_000);
  afterAll(() => verdaccio?.stop());

  it('npm whoami works through the rewritten .npmrc; its other lines and mode are unchanged; a wrong token is refused', async () => {
    const home = tmp();
    const npmrc = join(home, '.npmrc');
    const prefix = npmRegistryPrefix(verdaccio.url)!;
    const fixture = ['; team registries', `registry=${verdaccio.url}/`, '@other:registry=https://npm.other.example/', '//npm.other.example/:_authToken=${NPM_TOKEN}', `${prefix}:_authToken=stale-token`, 'fund=false', ''].join('\n');
    writeFixture(npmrc, fixture, 0o640);
    expect((await whoami(npmrc, verdaccio.url, home)).ok).toBe(false);

    const token = await login(verdaccio.url, 'alice', 'alice-pass-1');
    const target = { kind: 'npmrc', path: npmrc, key: prefix } as const;
    expectWritten(await push(target, token), 'updated');
    expect(read(npmrc)).toBe(fixture.replace('stale-token', token));
    expect(modeOf(npmrc)).toBe(0o640);
    expect(await whoami(npmrc, verdaccio.url, home)).toEqual({ ok: true, out: 'alice' });
    expect(await verify(target, token)).toMatchObject({ status: 'verified' });

    expectWritten(await push(target, 'not-a-real-token'), 'updated');
    expect((await whoami(npmrc, verdaccio.url, home)).ok).toBe(false);
  }, 120_000);
});
