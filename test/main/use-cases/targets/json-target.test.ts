import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'sk-new "quoted" \\ value';

// 4-space indent, CRLF, odd spacing around colons, no trailing newline
const FIXTURE = '{\r\n    "name" :  "app",\r\n    "services": {\r\n        "api": { "token": "old", "port": 8080 },\r\n        "list": [ 1, 2 ]\r\n    },\r\n    "empty": {}\r\n}';

describe('JSON target', () => {
  it('round trip: replaces the value in place, every other byte kept', async () => {
    const path = join(tmp(), 'config.json');
    writeFixture(path, FIXTURE, 0o640);
    const target = { kind: 'json', path, key: 'services.api.token' } as const;
    expectWritten(await push(target, SECRET), 'updated');
    expect(read(path)).toBe(FIXTURE.replace('"old"', JSON.stringify(SECRET)));
    expect(modeOf(path)).toBe(0o640);
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expectWritten(await push(target, SECRET), 'unchanged');
  });

  it('adds a missing nested key after its last sibling, in the siblings style (4 spaces, CRLF, no final newline)', async () => {
    const path = join(tmp(), 'config.json');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'json', path, key: 'auth.registry.token' }, 'tok'), 'created');
    expect(read(path)).toBe(FIXTURE.replace('"empty": {}\r\n}', '"empty": {},\r\n    "auth": {\r\n        "registry": {\r\n            "token": "tok"\r\n        }\r\n    }\r\n}'));
    expectWritten(await push({ kind: 'json', path, key: 'empty.k' }, 'v'), 'created');
    expect(JSON.parse(read(path)).empty).toEqual({ k: 'v' });
    expect(read(path)).toContain('"empty": {\r\n        "k": "v"\r\n    }');
  });

  it('adds into an inline object inline, and into a compact file compactly', async () => {
    const dir = tmp();
    const path = join(dir, 'a.json');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'json', path, key: 'services.api.secret' }, 'x'), 'created');
    expect(read(path)).toContain('"api": { "token": "old", "port": 8080, "secret" : "x" }'.replace(' : ', ': '));
    const compact = join(dir, 'b.json');
    writeFixture(compact, '{"a":{"b":1}}');
    expectWritten(await push({ kind: 'json', path: compact, key: 'a.c.d' }, 'x'), 'created');
    expect(read(compact)).toBe('{"a":{"b":1,"c":{"d":"x"}}}');
  });

  it('follows array indexes and keys with dots (a\\.b)', async () => {
    const path = join(tmp(), 'c.json');
    writeFixture(path, '{"hosts": [{"a.b": {"t": "old"}}]}\n');
    expectWritten(await push({ kind: 'json', path, key: 'hosts.0.a\\.b.t' }, 'new'), 'updated');
    expect(read(path)).toBe('{"hosts": [{"a.b": {"t": "new"}}]}\n');
  });

  it('writes every duplicate of the key (JSON.parse keeps the last one)', async () => {
    const path = join(tmp(), 'd.json');
    writeFixture(path, '{"t": "one", "t": "two"}');
    expectWritten(await push({ kind: 'json', path, key: 't' }, 'new'), 'updated');
    expect(read(path)).toBe('{"t": "new", "t": "new"}');
  });

  it('refuses a path through a non-object, a path naming an object, and a file that does not parse', async () => {
    const path = join(tmp(), 'e.json');
    writeFixture(path, FIXTURE);
    expect(expectRefused(await push({ kind: 'json', path, key: 'name.inner' }, 'x'), 'path-conflict').failure.detail).toBe('name.inner');
    expectRefused(await push({ kind: 'json', path, key: 'services' }, 'x'), 'path-conflict');
    expectRefused(await push({ kind: 'json', path, key: 'services.list.5' }, 'x'), 'path-conflict');
    expect(read(path)).toBe(FIXTURE);
    const broken = '{\n  "token": "sk-live-secret-in-file",\n  oops\n}';
    writeFixture(path, broken);
    const out = expectRefused(await push({ kind: 'json', path, key: 'token' }, 'x'), 'unparsable');
    expect(out.failure.detail).toBe('3:3');
    expect(JSON.stringify(out)).not.toContain('sk-live-secret-in-file');
    expect(read(path)).toBe(broken);
  });

  it('creates a new file (mode 0600) and fills an empty one', async () => {
    const dir = tmp();
    const path = join(dir, 'new.json');
    expectWritten(await push({ kind: 'json', path, key: 'a.b' }, 'x'), 'created');
    expect(read(path)).toBe('{\n  "a": {\n    "b": "x"\n  }\n}\n');
    expect(modeOf(path)).toBe(0o600);
    const empty = join(dir, 'empty.json');
    writeFixture(empty, '');
    expectWritten(await push({ kind: 'json', path: empty, key: 't' }, 'x'), 'created');
    expect(JSON.parse(read(empty))).toEqual({ t: 'x' });
  });
});
