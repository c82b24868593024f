import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'dckr_pat_NewSecret:with-colon';
const b64 = (s: string) => Buffer.from(s).toString('base64');

// what `docker login` leaves: tabs, several registries, extra fields
const FIXTURE = `{\n\t"auths": {\n\t\t"https://index.docker.io/v1/": {\n\t\t\t"auth": "${b64('me:old')}"\n\t\t},\n\t\t"ghcr.io": {\n\t\t\t"auth": "${b64('octo:ghp_old')}"\n\t\t}\n\t},\n\t"psFormat": "table {{.ID}}"\n}`;

describe('Docker config target', () => {
  it('round trip: auths[host].auth = base64(user:secret); Docker Hub aliases find its one key (mode 0640 kept)', async () => {
    const path = join(tmp(), 'config.json');
    writeFixture(path, FIXTURE, 0o640);
    const target = { kind: 'docker', path, key: 'docker.io', user: 'me' } as const;
    expectWritten(await push(target, SECRET), 'updated');
    expect(read(path)).toBe(FIXTURE.replace(b64('me:old'), b64(`me:${SECRET}`)));
    expect(modeOf(path)).toBe(0o640);
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expect(await verify({ ...target, user: 'someone-else' }, SECRET)).toMatchObject({ status: 'mismatch', problem: 'value-differs' });
    expectWritten(await push(target, SECRET), 'unchanged');
  });

  it('matches an auths key written as a URL, and adds a new registry with tabs', async () => {
    const path = join(tmp(), 'config.json');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'docker', path, key: 'https://ghcr.io', user: 'octo' }, 'ghp_new'), 'updated');
    expect(read(path)).toContain(`"ghcr.io": {\n\t\t\t"auth": "${b64('octo:ghp_new')}"`);
    expectWritten(await push({ kind: 'docker', path, key: 'registry.example.com:5000', user: 'ci' }, SECRET), 'created');
    expect(read(path)).toContain(`\t\t},\n\t\t"registry.example.com:5000": {\n\t\t\t"auth": "${b64(`ci:${SECRET}`)}"\n\t\t}\n\t},`);
  });

  it('refuses when Docker reads the secret elsewhere: credsStore, a credHelper, an identity token', async () => {
    const dir = tmp();
    const path = join(dir, 'config.json');
    const store = '{\n\t"auths": {\n\t\t"ghcr.io": {}\n\t},\n\t"credsStore": "desktop"\n}';
    writeFixture(path, store);
    expect(expectRefused(await push({ kind: 'docker', path, key: 'ghcr.io', user: 'u' }, SECRET), 'docker-credential-elsewhere').failure.detail).toBe('credsStore');
    expect(read(path)).toBe(store);
    writeFixture(path, '{"credHelpers": {"ghcr.io": "gh"}}');
    expect(expectRefused(await push({ kind: 'docker', path, key: 'ghcr.io', user: 'u' }, SECRET), 'docker-credential-elsewhere').failure.detail).toBe('credHelpers');
    // another registry is still fine with a helper for ghcr.io
    expectWritten(await push({ kind: 'docker', path, key: 'quay.io', user: 'u' }, SECRET), 'created');
    writeFixture(path, '{"auths": {"reg.example": {"identitytoken": "xyz"}}}');
    expect(expectRefused(await push({ kind: 'docker', path, key: 'reg.example', user: 'u' }, SECRET), 'docker-credential-elsewhere').failure.detail).toBe('identitytoken');
  });

  it('leaves no old password beside the new auth in an old-style entry', async () => {
    const path = join(tmp(), 'config.json');
    writeFixture(path, '{"auths": {"reg.example": {"username": "old", "password": "old-pass", "email": "a@b"}}}');
    expectWritten(await push({ kind: 'docker', path, key: 'reg.example', user: 'new' }, SECRET), 'created');
    expect(JSON.parse(read(path))).toEqual({ auths: { 'reg.example': { username: 'new', password: SECRET, email: 'a@b', auth: b64(`new:${SECRET}`) } } });
  });

  it('creates ~/.docker/config.json (mode 0600) the way docker login would', async () => {
    const path = join(tmp(), 'config.json');
    expectWritten(await push({ kind: 'docker', path, key: 'index.docker.io', user: 'me' }, SECRET), 'created');
    expect(read(path)).toBe(`{\n\t"auths": {\n\t\t"https://index.docker.io/v1/": {\n\t\t\t"auth": "${b64(`me:${SECRET}`)}"\n\t\t}\n\t}\n}\n`);
    expect(modeOf(path)).toBe(0o600);
  });
});
