import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type FileFormat } from '../../../../src/main/use-cases/transfer/import-tokens';
import type { ImportReport } from '../../../../src/main/use-cases/transfer/transfer-types';
import type { Vault } from '../../../../src/main/vault';
import { FIXTURES, newVault, tempDir } from './transfer-support';

// Each fixture is modelled on a real export (the fixture files say where each shape comes from); the 1PUX zip is
// made here with fflate from export.data + export.attributes, as 1Password 8 lays them out.
const dir = tempDir('formats');
let vault: Vault;
const onepux = join(dir, 'D4RI47B7BJDT25C2LWA7LEJLHZ.1pux');

beforeAll(async () => {
  vault = await newVault(join(dir, 'vault.db'));
  writeFileSync(
    onepux,
    zipSync({
      'export.attributes': strToU8(JSON.stringify({ version: 3, description: '1Password Unencrypted Export', createdAt: 1700000000 })),
      'export.data': new Uint8Array(readFileSync(join(FIXTURES, '1password-export.data.json'))),
      files: {},
    }),
  );
});
afterAll(() => vault.close());

const run = (format: FileFormat, path: string, workspace?: string) => importFile(vault, { format, path, ...(workspace ? { workspace } : {}), actor: 'test' });

function tokens(workspace: string) {
  const ws = vault.workspaces.findByName(workspace);
  if (!ws) return [];
  return vault
    .tokens.list({ workspaceId: ws.id })
    .map((t) => ({ ...t, secret: vault.tokens.readSecret(t.id) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const reasons = (r: ImportReport) => Object.fromEntries(r.skipped.map((s) => [s.name ?? s.where, s.reason]));


describe('importing other password managers\' exports', () => {
  it('1Password 1PUX: logins, API credentials, password and server items, with tags, expiry and vaults as workspaces', async () => {
    const r = await run('1pux', onepux);
    expect(r).toMatchObject({ format: '1pux', total: 8, inserted: 4, workspacesCreated: 2 });
    expect(reasons(r)).toEqual({
      'Company card': 'not-a-credential',
      'Secure Note #1': 'not-a-credential',
      'Old Stripe key': 'deleted',
      'Login without password': 'no-secret',
    });
    const personal = tokens('Personal');
    expect(personal.map((t) => t.name)).toEqual(['Datadog API', 'GitHub PAT', 'Password item']);
    expect(personal[1]).toMatchObject({
      description: 'octo-admin',
      secret: 'ghp_L0g1nItemPassw0rd',
      url: 'https://github.com/settings/tokens',
      notes: 'GitHub PAT kept as a login',
      scopes: ['dev', 'github'],
      createdAt: '2021-10-29T15:53:53.000Z',
      expiresAt: null,
      prefix: 'ghp_L0g', // the one prefix rule (src/shared/token-prefix.ts): a third of 21 characters
    });
    expect(personal[0]).toMatchObject({ description: 'dd-ops@example.com', secret: 'dd_api_1234567890abcdef', url: 'api.datadoghq.com', expiresAt: new Date(1932811260 * 1000).toISOString() });
    expect(personal[2]).toMatchObject({ secret: 'pw-item-Secret!' });
    // A vault named with "/" stays one workspace name without "/" (it would break WORKSPACE/NAME references).
    expect(tokens('Infra-Shared').map((t) => [t.name, t.secret, t.description])).toEqual([['Vault root token', 'hvs.ServerRootToken', 'root']]);
    expect(vault.tokens.search('ghp_OldHistoryValue')).toEqual([]);
    const again = await run('1pux', onepux);
    expect(again).toMatchObject({ inserted: 0, workspacesCreated: 0 });
    expect(again.skipped.filter((s) => s.reason === 'already-imported')).toHaveLength(4);
  });

  it('1Password CSV (1Password 8 columns): one workspace named after the file, or --workspace', async () => {
    const r = await run('1password-csv', join(FIXTURES, '1password8.csv'), 'from-1p-csv');
    expect(r).toMatchObject({ total: 5, inserted: 3, workspacesCreated: 1 });
    expect(reasons(r)).toEqual({ 'empty password': 'no-secret', note: 'no-secret' });
    const got = tokens('from-1p-csv');
    expect(got.map((t) => [t.name, t.secret, t.description, t.scopes])).toEqual([
      ['Archived token', 'glpat-archived-still-valid', null, ['old']],
      ['GitHub PAT', 'ghp_CsvExportedToken1', 'octo-admin', ['dev', 'github']],
      ['OpenAI key', 'sk-proj-Csv,With,Commas', null, []],
    ]);
    // No ids in this format: the second run is recognised by name + secret.
    const again = await run('1password-csv', join(FIXTURES, '1password8.csv'), 'from-1p-csv');
    expect(again.inserted).toBe(0);
    expect(again.skipped.filter((s) => s.reason === 'already-stored')).toHaveLength(3);
    const other = await run('1password-csv', join(FIXTURES, '1password8.csv'));
    expect(other.inserted).toBe(3); // another workspace ("1password8", the file's name) is another place
    expect(tokens('1password8')).toHaveLength(3);
  });

  it('Bitwarden JSON: folders (nested by name) as workspaces, hidden fields as secrets, cards and deleted items skipped', async () => {
    const r = await run('bitwarden-json', join(FIXTURES, 'bitwarden.json'));
    expect(r).toMatchObject({ total: 6, inserted: 2, workspacesCreated: 2 });
    expect(reasons(r)).toEqual({ 'Plain note': 'not-a-credential', 'Company card': 'not-a-credential', 'Deleted login': 'deleted', 'empty password': 'no-secret' });
    expect(tokens('Infra - CI')).toMatchObject([
      {
        id: 'b524d15d-6446-4a70-9c36-ad290128686f',
        name: 'GitLab CI token',
        description: 'ci-runner',
        secret: 'glpat-BitwardenLogin1',
        url: 'https://gitlab.example.com',
        notes: 'Used by the runners',
        createdAt: '2025-04-30T09:00:00.000Z',
        expiresAt: '2026-06-30T23:59:59.999Z',
      },
    ]);
    expect(tokens('Infra')).toMatchObject([{ name: 'Cloudflare API token', secret: 'cf-HiddenFieldSecret', notes: 'Zone DNS edit' }]);
    expect((await run('bitwarden-json', join(FIXTURES, 'bitwarden.json'))).inserted).toBe(0);
    const encrypted = join(dir, 'bitwarden-encrypted.json');
    writeFileSync(encrypted, JSON.stringify({ encrypted: true, passwordProtected: true, salt: 'x', kdfType: 0, kdfIterations: 600000, encKeyValidation_DO_NOT_EDIT: 'x', data: 'x' }));
    await expect(run('bitwarden-json', encrypted)).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/encrypted/) });
  });

  it('.env: one token per variable named by it; export, quotes, comments, multi-line values; the last of a repeated variable', async () => {
    const r = await run('dotenv', join(FIXTURES, 'sample.env'), 'app-env');
    expect(r).toMatchObject({ inserted: 7, workspacesCreated: 1 });
    expect(reasons(r)).toEqual({ EMPTY_VALUE: 'no-secret' });
    expect(r.skipped[0]?.where).toBe('line 6');
    expect(Object.fromEntries(tokens('app-env').map((t) => [t.name, t.secret]))).toEqual({
      OPENAI_API_KEY: 'sk-proj-ExportPrefixed123',
      STRIPE_SECRET_KEY: 'sk_live_double quoted # not a comment',
      NPM_TOKEN: 'npm_single$NOT_EXPANDED',
      GITHUB_TOKEN: 'ghp_Unquoted',
      PRIVATE_KEY: '-----BEGIN KEY-----\nline two\n-----END KEY-----',
      SPACED_KEY: 'spaced-value',
      DUPLICATE: 'second-value',
    });
    expect((await run('dotenv', join(FIXTURES, 'sample.env'), 'app-env')).inserted).toBe(0);
    // A changed value is a new token of the same name (the old one is kept: nothing is overwritten by an import).
    const changed = join(dir, '.env');
    writeFileSync(changed, 'GITHUB_TOKEN=ghp_Rotated\n');
    expect((await run('dotenv', changed, 'app-env')).inserted).toBe(1);
    expect(tokens('app-env').filter((t) => t.name === 'GITHUB_TOKEN').map((t) => t.secret).sort()).toEqual(['ghp_Rotated', 'ghp_Unquoted']);
    // A dotfile's tokens go to a workspace named after its folder.
    const r2 = await run('dotenv', changed);
    expect(r2.inserted).toBe(1);
    expect(tokens(dir.split('/').pop()!).map((t) => t.name)).toEqual(['GITHUB_TOKEN']);
  });

  it('CSV with a header row naming its columns, in any order and spelling', async () => {
    const r = await run('csv', join(FIXTURES, 'tokens.csv'));
    expect(r).toMatchObject({ total: 4, inserted: 2, workspacesCreated: 2 });
    expect(r.skipped).toEqual([
      { where: 'line 3', name: 'no-secret-row', reason: 'no-secret' },
      { where: 'line 5', name: 'bad-date', reason: 'malformed' },
    ]);
    expect(tokens('acme')).toMatchObject([
      { name: 'deploy-ci', secret: 'glpat-GenericCsv1', description: 'ci-bot', url: 'https://gitlab.example.com', notes: 'notes, with comma', scopes: ['prod', 'ci'], expiresAt: '2031-01-31T23:59:59.999Z', createdAt: '2025-01-01T00:00:00.000Z' },
    ]);
    expect(tokens('tokens')).toMatchObject([{ name: 'top-level', secret: 'tok-TopLevel' }]);
    const headerless = join(dir, 'headerless.csv');
    writeFileSync(headerless, 'a,b\n1,2\n');
    await expect(run('csv', headerless)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/name .* column and a secret/) });
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'name,secret\n"unterminated,x\n');
    await expect(run('csv', broken)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('a file of the wrong format is refused whole, naming the format, and nothing is imported', async () => {
    const before = vault.tokens.count();
    await expect(run('1pux', join(FIXTURES, 'bitwarden.json'))).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/1PUX/) });
    await expect(run('bitwarden-json', join(FIXTURES, 'sample.env'))).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/Bitwarden/) });
    await expect(run('1password-csv', join(FIXTURES, 'tokens.csv'))).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/Title and Password/) });
    await expect(run('csv', join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'not-found' });
    expect(vault.tokens.count()).toBe(before);
  });

  it('duplicates inside one file are imported once and reported', async () => {
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'name,secret\nsame,s3cret-value\nsame,s3cret-value\nsame,other-value\n');
    const r = await run('csv', dup, 'dups');
    expect(r.inserted).toBe(2);
    expect(r.skipped).toEqual([{ where: 'line 3', name: 'same', reason: 'duplicate-in-file' }]);
  });
});

