import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'ghp_NewToken_0123456789';

// comments everywhere, anchors, an alias, a merge key, flow collections, a block scalar, odd indentation, CRLF
const FIXTURE = [
  '# deployment settings',
  'defaults: &defaults',
  '   region: eu-west   # three-space indent',
  '   token: &tok "old-token"  # anchored',
  '',
  'prod:',
  '   <<: *defaults',
  '   mirror: *tok',
  '   flags: {debug: false, level: 3}',
  'notes: |',
  '  line one',
  '  line two',
  'list:',
  '  - name: a',
  "    key: 'old-a'",
  '# the end',
  '',
].join('\r\n');

describe('YAML target', () => {
  it('round trip: only the value changes; anchor kept, so its alias follows (CRLF, comments, mode 0640)', async () => {
    const path = join(tmp(), 'deploy.yaml');
    writeFixture(path, FIXTURE, 0o640);
    const target = { kind: 'yaml', path, key: 'defaults.token' } as const;
    const out = expectWritten(await push(target, SECRET), 'updated');
    expect(out.requoted).toBe(false);
    expect(read(path)).toBe(FIXTURE.replace('"old-token"', `"${SECRET}"`));
    expect(modeOf(path)).toBe(0o640);
    const data = parse(read(path), { merge: true });
    expect(data.prod.mirror).toBe(SECRET);
    expect(data.prod.token).toBe(SECRET);
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expectWritten(await push(target, SECRET), 'unchanged');
  });

  it('keeps single quotes and sequence paths', async () => {
    const path = join(tmp(), 'a.yaml');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'yaml', path, key: 'list.0.key' }, "it's"), 'updated');
    expect(read(path)).toBe(FIXTURE.replace("'old-a'", "'it''s'"));
  });

  it('a key inherited through a merge key is overridden locally, leaving the anchor alone', async () => {
    const path = join(tmp(), 'b.yaml');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'yaml', path, key: 'prod.region' }, 'us-east'), 'created');
    expect(read(path)).toBe(FIXTURE.replace('   flags: {debug: false, level: 3}\r\n', '   flags: {debug: false, level: 3}\r\n   region: us-east\r\n'));
    const data = parse(read(path), { merge: true });
    expect(data.prod.region).toBe('us-east');
    expect(data.defaults.region).toBe('eu-west');
  });

  it('adds into a flow map inside its braces, and nested keys with the file indentation', async () => {
    const dir = tmp();
    const path = join(dir, 'c.yaml');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'yaml', path, key: 'prod.flags.token' }, SECRET), 'created');
    expect(read(path)).toContain(`   flags: {debug: false, level: 3, token: ${SECRET}}\r\n`);
    expectWritten(await push({ kind: 'yaml', path, key: 'ci.registry.token' }, SECRET), 'created');
    expect(read(path)).toBe(FIXTURE.replace('   flags: {debug: false, level: 3}', `   flags: {debug: false, level: 3, token: ${SECRET}}`).replace("    key: 'old-a'\r\n", `    key: 'old-a'\r\nci:\r\n   registry:\r\n      token: ${SECRET}\r\n`));
  });

  it('quotes a value that would read as another type or break the line, and replaces a block scalar', async () => {
    const path = join(tmp(), 'd.yaml');
    writeFixture(path, 'a: plain\nb: 2\n');
    expect(expectWritten(await push({ kind: 'yaml', path, key: 'a' }, 'true'), 'updated').requoted).toBe(true);
    expect(parse(read(path)).a).toBe('true');
    expectWritten(await push({ kind: 'yaml', path, key: 'a' }, 'x: #y'), 'updated');
    expect(parse(read(path))).toEqual({ a: 'x: #y', b: 2 });
    expectWritten(await push({ kind: 'yaml', path, key: 'a' }, 'two\nlines'), 'updated');
    expect(read(path)).toBe('a: "two\\nlines"\nb: 2\n');
    const block = join(tmp(), 'e.yaml');
    writeFixture(block, FIXTURE);
    expectWritten(await push({ kind: 'yaml', path: block, key: 'notes' }, SECRET), 'updated');
    expect(read(block)).toBe(FIXTURE.replace('|\r\n  line one\r\n  line two', SECRET));
  });

  it('replaces an alias at the path (in a map or a list) with the value, leaving the anchor and its other users', async () => {
    const path = join(tmp(), 'g.yaml');
    const text = 'a: &t old\nb: *t\nl:\n  - *t\n  - x\n';
    writeFixture(path, text);
    expectWritten(await push({ kind: 'yaml', path, key: 'b' }, SECRET), 'updated');
    expectWritten(await push({ kind: 'yaml', path, key: 'l.0' }, SECRET), 'updated');
    expect(read(path)).toBe(`a: &t old\nb: ${SECRET}\nl:\n  - ${SECRET}\n  - x\n`);
  });

  it('refuses a path through an alias, several documents, duplicate keys and broken YAML', async () => {
    const dir = tmp();
    const path = join(dir, 'f.yaml');
    writeFixture(path, 'base: &b\n  t: 1\nuse: *b\n');
    expectRefused(await push({ kind: 'yaml', path, key: 'use.t' }, 'x'), 'path-conflict');
    expect(read(path)).toBe('base: &b\n  t: 1\nuse: *b\n');
    writeFixture(path, 'a: 1\n---\na: 2\n');
    expectRefused(await push({ kind: 'yaml', path, key: 'a' }, 'x'), 'multiple-documents');
    writeFixture(path, 'a: 1\na: 2\n');
    expectRefused(await push({ kind: 'yaml', path, key: 'a' }, 'x'), 'unparsable');
    writeFixture(path, 'token: hunter2-in-file\nbad: [1\n');
    const out = expectRefused(await push({ kind: 'yaml', path, key: 'token' }, 'x'), 'unparsable');
    expect(JSON.stringify(out)).not.toContain('hunter2-in-file');
    expect(read(path)).toBe('token: hunter2-in-file\nbad: [1\n');
  });

  it('creates a file, and writes into an empty or comment-only one', async () => {
    const dir = tmp();
    const path = join(dir, 'new.yml');
    expectWritten(await push({ kind: 'yaml', path, key: 'a.b' }, SECRET), 'created');
    expect(read(path)).toBe(`a:\n  b: ${SECRET}\n`);
    expect(modeOf(path)).toBe(0o600);
    const comments = join(dir, 'comments.yml');
    writeFixture(comments, '# nothing yet\n');
    expectWritten(await push({ kind: 'yaml', path: comments, key: 't' }, SECRET), 'created');
    expect(read(comments)).toBe(`# nothing yet\nt: ${SECRET}\n`);
  });
});
