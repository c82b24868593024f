import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync } from './spawn-cli';

const root = mkdtempSync(join(tmpdir(), 'tv-scan-'));
const proj = join(root, 'proj');
const home = join(root, 'home');
const outside = join(root, 'outside');
const NPM = 'npm_ScanStoredSecret0123456789abcdefgh';
const DOCKER = 'dckr_pat_StoredDockerSecret_0123456';
const GL = 'glpat-Stored_GitLab_secret-00042';
// Likely tokens NOT in the vault (formats as the issuers document them; values made up).
const GHP = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;
const UNKNOWN_NPM = `npm_${'Zz9'.repeat(12)}`;
const SK_ANT = `sk-ant-api03-${'q'.repeat(40)}`;
let env: NodeJS.ProcessEnv = {};

function write(path: string, content: string | Buffer) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

beforeAll(async () => {
  ensureBuilt();
  const v = await makeVault(root, [
    { workspace: 'npmjs', name: 'publish', secret: NPM },
    { workspace: 'docker hub', name: 'ci/push', secret: DOCKER },
    { workspace: 'gitlab', name: 'release', secret: GL },
  ]);
  env = { TOKEN_VAULT_PATH: v.path, TOKEN_VAULT_PASSWORD: PASSWORD, HOME: home };
  write(join(proj, '.env'), `APP=1\nNPM_TOKEN=${NPM}\n`);
  write(join(proj, 'deploy', 'ci.yml'), `stages:\r\n  - build\r\ndeploy:\r\n  token: ${GL}\r\n`);
  write(join(proj, 'config', 'app.json'), JSON.stringify({ registry: { npm: { token: NPM } } }, null, 2));
  write(join(proj, 'notes.md'), `# notes\ntask-list sk-short npm_config_cache\nold: ${GHP}\nalso ${UNKNOWN_NPM} and "${SK_ANT}"\nstored one: ${GL}\n`);
  write(join(proj, '.git', 'config'), `[remote]\n  token = ${NPM}\n`);
  write(join(proj, 'node_modules', 'pkg', 'index.js'), `const t = "${NPM}";\n`);
  write(join(proj, 'image.bin'), Buffer.concat([Buffer.from([0x89, 0x50, 0, 1]), Buffer.from(NPM)]));
  write(join(proj, 'big.log'), Buffer.concat([Buffer.from(`${NPM}\n`), Buffer.alloc(5 * 1024 * 1024, 'x')]));
  write(join(outside, 'stolen.txt'), `${NPM}\n`);
  symlinkSync(join(outside, 'stolen.txt'), join(proj, 'link-out'));
  symlinkSync(outside, join(proj, 'dir-out'));
  symlinkSync(join(proj, '.env'), join(proj, 'config', 'link-in'));
  execFileSync('mkfifo', [join(proj, 'a-fifo')]);
  // home: the well-known files
  write(join(home, '.npmrc'), `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM}\n`);
  write(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from(`me:${DOCKER}`).toString('base64') } } }, null, 2));
  write(join(home, 'unrelated.txt'), `${NPM}\n`); // not a well-known file: not scanned by default
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clean = (text: string) => {
  for (const s of [NPM, DOCKER, GL, GHP, UNKNOWN_NPM, SK_ANT]) expect(text).not.toContain(s);
  expect(text).not.toContain(Buffer.from(`me:${DOCKER}`).toString('base64'));
};

describe('token-vault scan', () => {
  it('finds file:line with the reference in the tree and the home files, never printing a secret', async () => {
    const r = await runCliAsync(['scan'], { env, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    clean(r.all);
    const out = r.stdout.toString();
    expect(out.split('\n').filter((l) => l.includes('tv://'))).toEqual([
      '.env:2  tv://npmjs/publish',
      'config/app.json:4  tv://npmjs/publish',
      'deploy/ci.yml:4  tv://gitlab/release',
      'notes.md:5  tv://gitlab/release',
      '~/.docker/config.json:4  tv://docker%20hub/ci%2Fpush (base64)',
      '~/.npmrc:2  tv://npmjs/publish',
    ]);
    // Likely tokens not in the vault: masked to their documented prefix.
    expect(out).toContain('Likely tokens not in the vault:');
    expect(out).toContain(`notes.md:3  ghp_…  ${GHP.length} chars  GitHub personal access token (classic)`);
    expect(out).toContain(`notes.md:4  npm_…  ${UNKNOWN_NPM.length} chars  npm access token`);
    expect(out).toContain(`notes.md:4  sk-ant-…  ${SK_ANT.length} chars  Anthropic API key`);
    expect(out).not.toMatch(/sk-…|sk-short|npm_config|task-/);
    expect(out.match(/notes\.md:\d+ {2}\S+…/g)).toHaveLength(3); // the stored glpat- on line 5 is not "unknown"
    const err = r.stderr.toString();
    expect(err).toContain('Skipped dir-out (a symlink out of the scanned tree: not followed)');
    expect(err).toContain('Skipped link-out (a symlink out of the scanned tree: not followed)');
    expect(err).toContain('Skipped big.log (over 5 MB)');
    expect(err).toMatch(/files scanned: 6 places holding a stored secret, 3 likely tokens not in the vault; 1 binary file skipped\./);
    expect(out + err).not.toMatch(/\.git|node_modules|image\.bin|stolen|unrelated|a-fifo|link-in/);
  });

  it('--json lists found, unknown and skipped with references and token ids, and still no secret', async () => {
    const r = await runCliAsync(['scan', '--json', '.'], { env, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    clean(r.all);
    const json = JSON.parse(r.stdout.toString());
    expect(json.found).toHaveLength(4); // a PATH given: the home files are not added
    expect(json.found[0]).toMatchObject({ file: join(proj, '.env'), line: 2, reference: 'tv://npmjs/publish', workspace: 'npmjs', token: 'publish', encoding: 'exact' });
    expect(json.found[0].tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.unknown.map((u: { prefix: string; line: number }) => `${u.prefix}@${u.line}`)).toEqual(['ghp_@3', 'npm_@4', 'sk-ant-@4']);
    expect(json.skipped).toEqual([
      { path: join(proj, 'big.log'), reason: 'too-large' },
      { path: join(proj, 'dir-out'), reason: 'symlink-outside' },
      { path: join(proj, 'link-out'), reason: 'symlink-outside' },
    ]);
    expect(json).toMatchObject({ binaryFiles: 1 });
  });

  it('a path named on the command line is scanned even when it is a symlink; two roots holding one file report it once', async () => {
    const r = await runCliAsync(['scan', 'link-out', outside, '--json'], { env, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    const json = JSON.parse(r.stdout.toString());
    expect(json.found.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([join(proj, 'link-out:1')]);
    clean(r.all);
  });

  it('--add links each found place of a known format as a deployment target of its token (once), and use push writes there', async () => {
    const r = await runCliAsync(['scan', '--add', '.', '--json'], { env, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    const linked = (JSON.parse(r.stdout.toString()) as { linked: { file: string; target: unknown; outcome: string }[] }).linked;
    const byFile = Object.fromEntries(linked.map((l) => [l.file.slice(proj.length + 1), [l.target, l.outcome]]));
    expect(byFile['.env']).toEqual([{ file: join(proj, '.env'), format: 'dotenv', key: 'NPM_TOKEN' }, expect.stringMatching(/^linked as target [0-9a-f]{8}$/)]);
    expect(byFile['deploy/ci.yml']).toEqual([{ file: join(proj, 'deploy', 'ci.yml'), format: 'yaml', key: 'deploy.token' }, expect.stringMatching(/^linked as target/)]);
    expect(byFile['config/app.json']).toEqual([{ file: join(proj, 'config', 'app.json'), format: 'json', key: 'registry.npm.token' }, expect.stringMatching(/^linked as target/)]);
    expect(byFile['notes.md']?.[0]).toBeNull();
    clean(r.all);

    const list = await runCliAsync(['use', 'list', 'npmjs/publish', '--json'], { env, cwd: proj });
    const targets = JSON.parse(list.stdout.toString()) as { id: string; spec: { kind: string; path: string; key: string } }[];
    expect(targets.map((t) => [t.spec.kind, t.spec.path, t.spec.key]).sort()).toEqual([
      ['dotenv', join(proj, '.env'), 'NPM_TOKEN'],
      ['json', join(proj, 'config', 'app.json'), 'registry.npm.token'],
    ]);
    // A second scan keeps the links it made; nothing doubles.
    const again = await runCliAsync(['scan', '--add', '.', '--json'], { env, cwd: proj });
    expect(again.code).toBe(0);
    const relist = await runCliAsync(['use', 'list', 'npmjs/publish', '--json'], { env, cwd: proj });
    expect((JSON.parse(relist.stdout.toString()) as unknown[]).length).toBe(2);
    // The linked places already hold the secret: a push finds them so, and reads each back.
    const push = await runCliAsync(['use', 'push', 'npmjs/publish'], { env, cwd: proj });
    expect(push.code, push.stderr.toString()).toBe(0);
    expect(push.stdout.toString()).toMatch(/^ok {3}\.env \(dotenv NPM_TOKEN\): already held it, read back$/m);
    clean(push.all);
  }, 120_000);

  it('a stored secret or a likely token in a file\'s name is never printed: the path shows it concealed, --add acts on the real file', async () => {
    const dir = mkdtempSync(join(root, 'named-'));
    const GHP_NAME = `ghp_${'InAFileName'.repeat(3)}abc`;
    write(join(dir, NPM, '.env'), `NPM_TOKEN=${NPM}\n`);
    write(join(dir, `${GHP_NAME}.txt`), `also ${UNKNOWN_NPM}\n`);
    const text = await runCliAsync(['scan', dir, '--add'], { env, cwd: dir });
    expect(text.code, text.stderr.toString()).toBe(0);
    expect(text.stdout.toString()).toContain('<concealed by token-vault>/.env:1  tv://npmjs/publish');
    expect(text.stdout.toString()).toContain('<concealed by token-vault>.txt:1  npm_…');
    expect(text.stdout.toString()).toMatch(/<concealed by token-vault>\/\.env:1 {2}tv:\/\/npmjs\/publish: linked as target/);
    const json = await runCliAsync(['scan', dir, '--json'], { env, cwd: dir });
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ found: [{ file: join(dir, '<concealed by token-vault>', '.env') }], unknown: [{ file: join(dir, '<concealed by token-vault>.txt') }] });
    for (const r of [text, json]) {
      expect(r.all.toString()).not.toContain(NPM);
      expect(r.all.toString()).not.toContain(GHP_NAME);
    }
    // The place was linked by its real path.
    const list = await runCliAsync(['use', 'list', 'npmjs/publish', '--json'], { env });
    expect(list.stdout.toString()).toContain(JSON.stringify(join(dir, NPM, '.env')).slice(1, -1));
  });

  it('an empty vault or a missing path is no crash', async () => {
    const empty = await makeVault(mkdtempSync(join(root, 'empty-')), []);
    const r = await runCliAsync(['scan', '.', join(root, 'no-such-dir')], { env: { ...env, TOKEN_VAULT_PATH: empty.path }, cwd: proj });
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.toString()).toContain('Likely tokens not in the vault:');
    expect(r.stderr.toString()).toMatch(/Skipped .*no-such-dir \(cannot be read\)/);
    clean(r.all);
  });
});
