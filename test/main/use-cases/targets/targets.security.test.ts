import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging } from '../../../../src/main/log/redacting-logger';
import { ContractServer, type ContractRequest } from '../../../servers/contract/contract-server';
import { expectRefused, expectWritten, push, remoteDeps, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
// short and shapeless: no pattern-based redaction could catch it, only knowing the value
const SECRET = 'pw9"Q z';
const forms = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')];
/** The forms of the secret found in any string inside `value` (an outcome, or a log line). */
function leaks(value: unknown): string[] {
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(typeof value === 'string' ? [value, ...(value.startsWith('{') ? [JSON.parse(value)] : [])] : value);
  return forms.filter((f) => strings.some((s) => s.includes(f)));
}

/** A hostile service: answers every write with an error that quotes the request body back. */
const echo = new ContractServer([
  ['PUT', /.*/, (req: ContractRequest) => ({ status: 400, json: { message: `cannot store ${JSON.stringify(req.body)}` } })],
  ['POST', /.*/, (req: ContractRequest) => ({ status: 422, json: { errors: [`bad body: ${JSON.stringify(req.body)}`] } })],
  ['GET', /\/variables\//, () => ({ status: 404, json: { message: '404 Variable Not Found' } })],
  ['GET', /\/data\//, () => ({ status: 404, json: { errors: [] } })],
  ['GET', /.*/, (req: ContractRequest) => ({ status: 500, json: { message: `internal error at ${req.url.pathname}` } })],
]);
let url = '';
const lines: string[] = [];
beforeAll(async () => {
  url = await echo.start();
  configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
});
afterAll(async () => {
  configureLogging({ level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) });
  await echo.stop();
});
afterEach(() => {
  expect(lines.flatMap(leaks)).toEqual([]);
});

describe('deployment targets never reveal the secret', () => {
  it('a service echoing the request body (Gitea {data}, GitLab {value}, Vault {data:{key}}) does not carry the secret into the outcome', async () => {
    const d = remoteDeps('Echo', url, { adminSecret: 'admin-credential-123', username: 'u' });
    const outcomes = [
      await push({ kind: 'gitea-secret', workspaceId: d.workspaceId, level: 'repo', owner: 'a/b', name: 'T' }, SECRET, d),
      await push({ kind: 'gitlab-variable', workspaceId: d.workspaceId, level: 'project', owner: '1', key: 'T', masked: false }, SECRET, d),
      await push({ kind: 'vault-kv', workspaceId: d.workspaceId, path: 'p', key: 'harmless_name' }, SECRET, d),
      await push({ kind: 'github-secret', workspaceId: d.workspaceId, level: 'repo', owner: 'a/b', name: 'T' }, SECRET, d),
    ];
    for (const o of outcomes) {
      expect(o.status).toBe('failed');
      expect(leaks(o)).toEqual([]);
    }
    // the service's own words survive where they hold no secret
    expect(outcomes[0]).toMatchObject({ failure: { code: 'invalid-argument', httpStatus: 400 } });
    expect(JSON.stringify(outcomes[0])).toContain('cannot store');
  });

  it('file refusals and verifies say where, never what: not the new secret, not what the file held', async () => {
    const dir = tmp();
    const env = join(dir, '.env');
    writeFixture(env, `KEY=${'${REF}'}\n`);
    const refused = expectRefused(await push({ kind: 'dotenv', path: env, key: 'KEY' }, SECRET), 'value-is-reference');
    expect(leaks(refused)).toEqual([]);
    const json = join(dir, 'c.json');
    writeFixture(json, `{"token": "${SECRET.replace('"', '\\"')}", oops}`);
    const broken = expectRefused(await push({ kind: 'json', path: json, key: 'token' }, 'new-one-123'), 'unparsable');
    expect(leaks(broken)).toEqual([]);
    const verified = await verify({ kind: 'json', path: json, key: 'token' }, SECRET);
    expect(verified.status).toBe('failed');
    expect(leaks(verified)).toEqual([]);
  });

  it('a successful push logs the kind and the change only', async () => {
    const path = join(tmp(), 'config.json');
    expectWritten(await push({ kind: 'docker', path, key: 'ghcr.io', user: 'me' }, SECRET), 'created');
    expect(lines.some((l) => l.includes('deployment target written'))).toBe(true);
    expect(lines.flatMap(leaks)).toEqual([]);
    // Docker's user:secret, base64-encoded, is a form of the secret too
    expect(lines.join('\n')).not.toContain(Buffer.from(`me:${SECRET}`).toString('base64'));
  });
});
