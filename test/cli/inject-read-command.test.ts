import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync, withTestVault } from './spawn-cli';

const root = mkdtempSync(join(tmpdir(), 'tv-inject-'));
const SECRET = 'npm_InjectSecret0123456789abcdefghijKL';
const SLASHY = 'glpat-Slashy_name_secret_000111';
const TWIN_A = 'twin-secret-aaaaaaaaaaaa';
const TWIN_B = 'twin-secret-bbbbbbbbbbbb';
let env: NodeJS.ProcessEnv = {};
let vaultPath = '';
let ids: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [
    { workspace: 'acme', name: 'deploy', secret: SECRET },
    { workspace: 'gitlab.com/team', name: 'ci/release bot', secret: SLASHY },
    { workspace: 'acme', name: 'twin', secret: TWIN_A },
    { workspace: 'acme', name: 'twin', secret: TWIN_B },
  ]);
  vaultPath = v.path;
  ids = v.ids;
  env = { TOKEN_VAULT_PATH: v.path, TOKEN_VAULT_PASSWORD: PASSWORD };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clean = (text: string) => {
  for (const s of [SECRET, SLASHY, TWIN_A, TWIN_B]) expect(text).not.toContain(s);
};

describe('token-vault read and get with references', () => {
  it('read prints the secret alone; names with "/" and spaces are %-encoded; the read is audited', async () => {
    const r = await runCliAsync(['read', 'tv://acme/deploy'], { env });
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout.toString()).toBe(SECRET);
    const slashy = await runCliAsync(['read', 'tv://gitlab.com%2Fteam/ci%2Frelease%20bot'], { env });
    expect(slashy.stdout.toString()).toBe(SLASHY);
    const byId = await runCliAsync(['get', `tv://acme/${ids['acme/deploy']}`], { env });
    expect(byId.stdout.toString()).toBe(SECRET);
    const caseless = await runCliAsync(['get', 'tv://ACME/Deploy'], { env });
    expect(caseless.stdout.toString()).toBe(SECRET);
    const audit = await withTestVault(vaultPath, (v) => v.audit.list({ tokenId: ids['acme/deploy'] }));
    expect(audit.filter((a) => a.action === 'revealed')).toHaveLength(3);
    expect(audit[audit.length - 2]).toMatchObject({ action: 'revealed', actor: 'cli', detail: 'read' });
  });

  it('unknown, ambiguous and malformed references fail with exit 1 (2 for a non-reference), naming what to fix', async () => {
    const cases: [string[], number, RegExp][] = [
      [['read', 'tv://acme/nope'], 1, /no token "nope" in workspace "acme"/],
      [['read', 'tv://nowhere/deploy'], 1, /no workspace named "nowhere"/],
      [['read', 'tv://acme/twin'], 1, new RegExp(`2 tokens are named "twin"; use the token id: (${ids['acme/twin']}|[0-9a-f-]{36}), [0-9a-f-]{36}`)],
      [['read', 'tv://gitlab.com/team/ci/release bot'], 1, /%2F/],
      [['read', 'tv://acme/de%ZZploy'], 1, /%XX escape/],
      [['read', 'tv://acme/'], 1, /not a reference/],
      [['get', 'tv://acme/nope'], 1, /no token "nope"/],
      [['read', 'acme/deploy'], 2, /read takes a reference like tv:\/\/WORKSPACE\/TOKEN/],
    ];
    for (const [args, code, words] of cases) {
      const r = await runCliAsync(args, { env });
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.toString()).toMatch(words);
      clean(r.all);
    }
    // The ids it lists resolve the ambiguity.
    const twinId = (await runCliAsync(['read', 'tv://acme/twin'], { env })).stderr.toString().match(/[0-9a-f-]{36}/)?.[0];
    expect([TWIN_A, TWIN_B]).toContain((await runCliAsync(['read', `tv://acme/${twinId}`], { env })).stdout.toString());
  });
});

describe('token-vault inject', () => {
  const template = join(root, 'app.env.tpl');
  beforeAll(() =>
    writeFileSync(
      template,
      '# {{ .Values.helm }} is not ours\nNPM_TOKEN={{ tv://acme/deploy }}\nTIGHT={{tv://acme/deploy}}\nGL="{{  tv://gitlab.com%2Fteam/ci%2Frelease%20bot  }}"\nPLAIN=1\n',
    ),
  );
  const filled = `# {{ .Values.helm }} is not ours\nNPM_TOKEN=${SECRET}\nTIGHT=${SECRET}\nGL="${SLASHY}"\nPLAIN=1\n`;

  it('prints the filled template on stdout when there is no -o, with one audit entry per token', async () => {
    const before = await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }).length);
    const r = await runCliAsync(['inject', '-i', template], { env });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toBe(filled);
    expect(r.stderr.toString()).toBe('');
    const after = await withTestVault(vaultPath, (v) => v.audit.list({ limit: 10_000 }));
    expect(after.length - before).toBe(2);
    expect(after[0]?.detail).toBe('inject: app.env.tpl -> stdout');
  });

  it('reads the template from stdin with -i -, keeping its last newline', async () => {
    const r = await runCliAsync(['inject', '-i', '-'], { env, input: 'A={{ tv://acme/deploy }}\n' });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toBe(`A=${SECRET}\n`);
  });

  it('a new -o file is created with mode 0600 whatever the umask allows', async () => {
    const out = join(root, 'new.env');
    const umask = process.umask(0); // the widest: a file created 0666 and narrowed later would show it
    const r = await runCliAsync(['inject', '-i', template, '-o', out], { env }).finally(() => process.umask(umask));
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(filled);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    clean(r.all);
    // no temporary file left behind
    expect(readdirSync(root).filter((f) => f.includes('.tv-'))).toEqual([]);
  });

  it('an existing file is not replaced without --force; with it, replaced whole by a 0600 file, said on stderr', async () => {
    const out = join(root, 'existing.env');
    writeFileSync(out, 'KEEP=me\n');
    chmodSync(out, 0o640);
    const refused = await runCliAsync(['inject', '-i', template, '-o', out], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.toString()).toMatch(/existing\.env already exists; add --force/);
    expect(readFileSync(out, 'utf8')).toBe('KEEP=me\n');
    const forced = await runCliAsync(['inject', '-i', template, '-o', out, '--force'], { env });
    expect(forced.code, forced.stderr.toString()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(filled);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(forced.stderr.toString()).toContain('existing.env had mode 0640: the new file has mode 0600.');
    clean(forced.all);
  });

  it('--force on a symlink (inject -o and export alike) replaces the link by a 0600 file; the file it named is untouched', async () => {
    const real = join(root, 'dotfiles-real.env');
    writeFileSync(real, 'OLD=1\n', { mode: 0o644 });
    chmodSync(real, 0o644);
    for (const [i, args] of [
      ['inject', '-i', template, '--force', '-o'],
      ['export', '--format', 'dotenv', '--plaintext', '--force'],
    ].entries()) {
      const link = join(root, `linked-${i}.env`);
      symlinkSync(real, link);
      const r = await runCliAsync([...args, link], { env });
      expect(r.code, r.stderr.toString()).toBe(0);
      expect(readFileSync(real, 'utf8')).toBe('OLD=1\n');
      expect(statSync(real).mode & 0o777).toBe(0o644);
      expect(lstatSync(link).isSymbolicLink()).toBe(false);
      expect(lstatSync(link).mode & 0o777).toBe(0o600);
      expect(readFileSync(link, 'utf8')).toContain(SECRET);
      expect(r.stderr.toString()).toContain(`linked-${i}.env was a symbolic link: replaced by a file of its own (mode 0600); the file it pointed to is unchanged.`);
    }
  });

  it('an unknown or malformed reference writes nothing and names the line', async () => {
    const bad = join(root, 'bad.tpl');
    const out = join(root, 'never.env');
    writeFileSync(bad, 'A={{ tv://acme/deploy }}\nB={{tv://acme/nope}}\nC={{ tv://acme/deploy\n');
    const r = await runCliAsync(['inject', '-i', bad, '-o', out], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/bad\.tpl, line 3: a \{\{ tv:\/\/\.\.\. placeholder is not closed/);
    expect(existsSync(out)).toBe(false);
    writeFileSync(bad, 'A={{ tv://acme/deploy }}\nB={{tv://acme/nope}}\n');
    const unknown = await runCliAsync(['inject', '-i', bad, '-o', out], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.toString()).toMatch(/bad\.tpl, line 2: tv:\/\/acme\/nope: no token "nope"/);
    expect(existsSync(out)).toBe(false);
    clean(r.all + unknown.all);
  });

  it('usage errors: no -i is exit 2; a missing template exit 1', async () => {
    expect((await runCliAsync(['inject'], { env })).code).toBe(2);
    const r = await runCliAsync(['inject', '-i', join(root, 'nope.tpl')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/Cannot read template/);
  });
});
