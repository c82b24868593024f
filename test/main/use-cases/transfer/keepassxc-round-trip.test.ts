import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKdbx, readWithModel } from '../../../../src/main/use-cases/transfer/formats/kdbx-reader';
import { kdbxweb } from '../../../../src/main/use-cases/transfer/formats/kdbx-engine';
import { writeKdbx, type KdbxWriteOptions } from '../../../../src/main/use-cases/transfer/formats/kdbx-writer';
import { readKeepassXml } from '../../../../src/main/use-cases/transfer/formats/kdbx-xml-reader';
import { cli, ensureBuilt } from '../../../cli/cli-support';
import { FIXTURES, hasKeepass, kdbxFromXml, keepassxc, keepassxcOk, newVault, tempDir, VAULT_PW } from './transfer-support';

const dir = tempDir('kpx');
const KDBX_PW = 'kdbx-pass-Ü-1';
const kdbx = join(dir, 'keepass-tokens.kdbx');
interface TokenJson { id: string; name: string; workspace: string; description: string | null; url: string | null; notes: string | null; scopes: string[]; createdAt: string; expiresAt: string | null; prefix: string | null }

beforeAll(() => {
  ensureBuilt();
  if (hasKeepass) kdbxFromXml(join(FIXTURES, 'keepass-tokens.xml'), kdbx, KDBX_PW);
});

async function vaultEnv(name: string) {
  const path = join(dir, `${name}.db`);
  (await newVault(path)).close();
  return { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW, TOKEN_VAULT_IMPORT_PASSWORD: KDBX_PW };
}

const tokensOf = (env: Record<string, string>) => JSON.parse(cli(['list', '--json'], { env }).stdout) as TokenJson[];
const secretOf = (env: Record<string, string>, id: string) => cli(['get', id], { env }).stdout;

/** What the fixture's entries become (transfer-types.ts has the mapping). */
function expectFixtureTokens(env: Record<string, string>, recycleBinIsAGroup: boolean) {
  const tokens = tokensOf(env).sort((a, b) => a.name.localeCompare(b.name));
  expect(tokens.map((t) => `${t.workspace}/${t.name}`)).toEqual([
    ...(recycleBinIsAGroup ? ['Recycle Bin/Deleted token'] : []),
    'Work/GitLab deploy',
    'Work - CI/npm publish',
    'keepass-tokens/TOP_LEVEL_KEY',
  ]);
  const gitlab = tokens.find((t) => t.name === 'GitLab deploy')!;
  expect(gitlab).toMatchObject({
    id: 'a1a1a1a1-0000-4000-8000-000000000001',
    description: 'ci-bot@acme.example',
    url: 'https://gitlab.example.com/-/user_settings/personal_access_tokens',
    notes: 'Rotates every 90 days.\nOwner: Zoë & the platform team',
    createdAt: '2025-03-04T05:06:07.000Z',
    expiresAt: '2026-03-04T05:06:07.000Z',
    prefix: 'glpat-Xy', // the one prefix rule (src/shared/token-prefix.ts): eight characters
  });
  expect([...gitlab.scopes].sort()).toEqual(['deploy', 'prod']);
  expect(secretOf(env, gitlab.id)).toBe('glpat-Xy7&<secret>"quoted"');
  const npm = tokens.find((t) => t.name === 'npm publish')!;
  expect(npm).toMatchObject({ description: 'release-bot', expiresAt: '2025-12-31T23:59:59.000Z', url: 'https://www.npmjs.com/settings/tokens' });
  expect([...npm.scopes].sort()).toEqual(['ci', 'npm']);
  expect(secretOf(env, npm.id)).toBe('npm_PubL1shéToken');
  const top = tokens.find((t) => t.name === 'TOP_LEVEL_KEY')!;
  expect(top).toMatchObject({ description: null, url: null, notes: null, expiresAt: null, scopes: [] });
  expect(secretOf(env, top.id)).toBe('tl_0nly-In-Root');
}

// keepassxc-cli derives each database's key natively for every command; on two shared cores that adds up.
describe.skipIf(!hasKeepass)('KeePass databases with the real keepassxc-cli', { timeout: 180_000 }, () => {
  afterAll(() => undefined);

  it('a KDBX made by keepassxc-cli import of a KeePass XML file imports with every field; a second import adds nothing', async () => {
    expect(keepassxcOk(['db-info', '-q', kdbx], KDBX_PW)).toMatch(/KDF: AES/);
    const env = await vaultEnv('aes-kdf');
    const first = cli(['import', '--format', 'kdbx', kdbx, '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ format: 'kdbx', total: 5, inserted: 3, skipped: 2, workspacesCreated: 3 });
    expect(report.skippedEntries).toEqual(
      expect.arrayContaining([
        { where: expect.any(String), name: 'Wiki login (no password)', reason: 'no-secret' },
        { where: expect.any(String), name: 'Deleted token', reason: 'deleted' },
      ]),
    );
    expect(report.kdfMs).toBeGreaterThanOrEqual(0);
    expectFixtureTokens(env, false);
    // The history entry's old password is never imported.
    expect(cli(['search', 'glpat-OLD'], { env }).stdout).not.toContain('GitLab');

    const again = JSON.parse(cli(['import', '--format', 'kdbx', kdbx, '--json'], { env }).stdout);
    expect(again).toMatchObject({ inserted: 0, skipped: 5, workspacesCreated: 0 });
    expect(again.skippedEntries.filter((s: { reason: string }) => s.reason === 'already-imported')).toHaveLength(3);
    expect(tokensOf(env)).toHaveLength(3);
  });

  it.each<[string, KdbxWriteOptions, RegExp, RegExp]>([
    ['ChaCha20 + Argon2id', { kdf: 'argon2id', cipher: 'chacha20', memoryKiB: 8192, iterations: 2, parallelism: 2 }, /Cipher: ChaCha20/, /KDF: Argon2id/],
    ['AES-256 + Argon2d', { kdf: 'argon2d', cipher: 'aes', memoryKiB: 8192, iterations: 2, parallelism: 1 }, /Cipher: AES 256/, /KDF: Argon2d/],
  ])('a %s database written by KeePassXC imports with every field', async (label, options, cipher, kdf) => {
    // keepassxc-cli 2.7 creates only AES + AES-KDF databases; it keeps a database's own cipher and KDF when it saves
    // one. So: an empty database with the wanted settings, then `keepassxc-cli merge` of the imported entries into
    // it - KeePassXC writes the result, entries and all, with that cipher and KDF.
    const target = join(dir, `${label.replace(/\W+/g, '-')}.kdbx`);
    writeFileSync(target, (await writeKdbx([], KDBX_PW, options)).bytes);
    keepassxcOk(['merge', '-s', '-q', target, kdbx], KDBX_PW);
    const info = keepassxcOk(['db-info', '-q', target], KDBX_PW);
    expect(info).toMatch(cipher);
    expect(info).toMatch(kdf);
    const env = await vaultEnv(label.replace(/\W+/g, '-'));
    const named = join(dir, 'keepass-tokens.kdbx');
    copyFileSync(kdbx, `${kdbx}.orig`);
    copyFileSync(target, named);
    try {
      const r = cli(['import', '--format', 'kdbx', named, '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      // The merged database has no recycle bin of its own: its "Recycle Bin" is an ordinary group there.
      expectFixtureTokens(env, true);
    } finally {
      copyFileSync(`${kdbx}.orig`, kdbx);
    }
  });

  it('a wrong KDBX password exits 1 with a clear message and imports nothing', async () => {
    const env = await vaultEnv('wrong-password');
    const r = cli(['import', '--format', 'kdbx', kdbx, '--json'], { env: { ...env, TOKEN_VAULT_IMPORT_PASSWORD: 'not-it' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/KeePass database did not open: wrong password/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'wrong-password' } });
    expect(r.stderr + r.stdout).not.toContain('not-it');
    expect(tokensOf(env)).toEqual([]);
  });

  it('our export lists with keepassxc-cli ls -R and shows every secret with show -s; its XML export has every field', async () => {
    const env = await vaultEnv('export');
    const data = join(dir, 'tokens.csv');
    writeFileSync(
      data,
      [
        'workspace,name,secret,description,url,notes,tags,expires_at,created_at',
        'acme-infra,deploy-ci,glpat-AAAAbbbbCCCC1111,ci-bot,https://gitlab.example.com,"two\nlines & <xml>",prod;ci,2031-02-03T04:05:06.000Z,2025-01-02T03:04:05.000Z',
        'acme-infra,npm-release,npm_ZZZZyyyyXXXX2222,,https://npmjs.com,,,,2025-01-02T03:04:05.000Z',
        'globex,"quote ""this""","sk-proj-\'""`$\\weird",,,,,2030-01-01,',
        'globex,unicode-ünïcödé,tøkén-✓-42,,,,,,',
      ].join('\n'),
    );
    const imported = cli(['import', '--format', 'csv', data], { env });
    expect(imported.code, imported.stderr).toBe(0);
    const tokens = tokensOf(env);
    const out = join(dir, 'export.kdbx');
    const r = cli(['export', '--format', 'kdbx', out, '--json'], { env: { ...env, TOKEN_VAULT_EXPORT_PASSWORD: KDBX_PW } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tokens: 4, workspaces: 2, withoutSecret: 0 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(keepassxcOk(['db-info', '-q', out], KDBX_PW)).toMatch(/KDF: Argon2id \(5 rounds, 65536 KB\)/);

    const listed = keepassxcOk(['ls', '-R', '-q', out], KDBX_PW).split('\n').filter(Boolean);
    expect(listed).toEqual(['acme-infra/', '  deploy-ci', '  npm-release', 'globex/', '  quote "this"', '  unicode-ünïcödé']);
    for (const t of tokens) {
      const shown = keepassxcOk(['show', '-q', '-s', '-a', 'Password', out, `/${t.workspace}/${t.name}`], KDBX_PW);
      expect(shown).toBe(`${secretOf(env, t.id)}\n`);
    }
    // Every field, through KeePassXC's own XML export (passwords in clear there), read back by our XML reader.
    const xml = keepassxcOk(['export', '-q', '-f', 'xml', out], KDBX_PW);
    const back = readKeepassXml(xml, null).entries;
    const deploy = back.find((e) => e.title === 'deploy-ci')!;
    expect(deploy).toMatchObject({
      groups: ['acme-infra'],
      username: 'ci-bot',
      secret: 'glpat-AAAAbbbbCCCC1111',
      url: 'https://gitlab.example.com',
      notes: 'two\nlines & <xml>',
      createdAt: '2025-01-02T03:04:05.000Z',
      expiresAt: '2031-02-03T04:05:06.000Z',
      sourceId: tokens.find((t) => t.name === 'deploy-ci')!.id,
    });
    expect([...deploy.tags].sort()).toEqual(['ci', 'prod']);
    expect(back.find((e) => e.title === 'quote "this"')).toMatchObject({ secret: 'sk-proj-\'"`$\\weird', expiresAt: '2030-01-01T23:59:59.000Z' }); // KeePass keeps whole seconds

    // Exporting and importing again is a round trip: the same ids, nothing new.
    const again = JSON.parse(cli(['import', '--format', 'kdbx', out, '--json'], { env: { ...env, TOKEN_VAULT_IMPORT_PASSWORD: KDBX_PW } }).stdout);
    expect(again).toMatchObject({ inserted: 0, skipped: 4 });
    // No file is replaced without --force.
    const refused = cli(['export', '--format', 'kdbx', out], { env: { ...env, TOKEN_VAULT_EXPORT_PASSWORD: KDBX_PW } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists/);
    expect(cli(['export', '--format', 'kdbx', out, '--force'], { env: { ...env, TOKEN_VAULT_EXPORT_PASSWORD: KDBX_PW } }).code).toBe(0);
    // Every secret that left is in the audit log.
    const audit = JSON.parse(cli(['audit', 'acme-infra/deploy-ci', '--json'], { env }).stdout).map((a: { action: string }) => a.action);
    expect(audit.filter((a: string) => a === 'exported')).toHaveLength(2);
  });

  it('the streaming KDBX reader reads exactly what kdbxweb\'s full model reads from KeePassXC-written files', async () => {
    const merged = join(dir, 'oracle.kdbx');
    writeFileSync(merged, (await writeKdbx([], KDBX_PW, { kdf: 'argon2id', cipher: 'chacha20', memoryKiB: 8192, iterations: 2, parallelism: 2 })).bytes);
    keepassxcOk(['merge', '-s', '-q', merged, kdbx], KDBX_PW);
    for (const file of [kdbx, merged]) {
      const fast = await readKdbx(readFileSync(file), KDBX_PW);
      const model = await readWithModel(new Uint8Array(readFileSync(file)).buffer, new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(KDBX_PW)));
      expect(fast.entries).toEqual(model.entries);
      expect(fast.skipped).toEqual(model.skipped);
    }
    // Its content unpacks under a limit (256 MB; here 1 MB, which this small file fits, and 1 KB): past it, a typed refusal,
    // never gigabytes of memory for a small file (reviewer finding).
    await expect(readKdbx(readFileSync(merged), KDBX_PW, { maxUnpacked: 1024 * 1024 - 1 })).resolves.toBeDefined();
    await expect(readKdbx(readFileSync(merged), KDBX_PW, { maxUnpacked: 1024 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('unpacks to more than') });
  });

  it('a KDBX 3.1 database (what keepassxc-cli writes when nothing needs KDBX 4) imports through kdbxweb\'s model', async () => {
    const xml31 = join(dir, 'kdbx31.xml');
    writeFileSync(xml31, readFileSync(join(FIXTURES, 'keepass-tokens.xml'), 'utf8').replace(/<CustomData>.*<\/CustomData>/, ''));
    const file = join(dir, 'keepass-tokens-31.kdbx');
    kdbxFromXml(xml31, file, KDBX_PW);
    expect(readFileSync(file).readUInt16LE(10)).toBe(3);
    const env = await vaultEnv('kdbx31');
    const named = join(dir, 'k31', 'keepass-tokens.kdbx');
    mkdirSync(join(dir, 'k31'), { recursive: true });
    copyFileSync(file, named);
    const r = cli(['import', '--format', 'kdbx', named, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expectFixtureTokens(env, false);
  });

  it('a file that is not a KeePass database, or is cut short, is a clear error', async () => {
    const env = await vaultEnv('damaged');
    const cut = join(dir, 'cut.kdbx');
    writeFileSync(cut, readFileSync(kdbx).subarray(0, 300));
    const r1 = cli(['import', '--format', 'kdbx', cut], { env });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/damaged or not a KeePass database|did not open/);
    const r2 = cli(['import', '--format', 'kdbx', join(FIXTURES, 'keepass-tokens.xml')], { env });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/not a KeePass database/);
    expect(keepassxc(['ls', '-q', kdbx], 'wrong').code).not.toBe(0);
  });
});
