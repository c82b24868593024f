import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'dotenv';
import { cli, cliAsync, ensureBuilt } from './cli-support';
import { FIXTURES, newVault, tempDir, VAULT_PW } from '../main/use-cases/transfer/transfer-support';

const dir = tempDir('transfer-cli');
beforeAll(() => ensureBuilt());

async function vaultEnv(name: string) {
  const path = join(dir, `${name}.db`);
  (await newVault(path)).close();
  return { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW };
}

describe('token-vault import / export on the command line', { timeout: 120_000 }, () => {
  it('import --format: usage errors exit 2; --json reports skipped entries with their reasons', async () => {
    const env = await vaultEnv('usage');
    expect(cli(['import', join(FIXTURES, 'sample.env')], { env }).code).toBe(2);
    expect(cli(['import', '--format', 'yaml', join(FIXTURES, 'sample.env')], { env }).code).toBe(2);
    expect(cli(['import', '--format', 'jsonl', 'x.jsonl', '--workspace', 'w'], { env }).code).toBe(2);
    expect(cli(['import', '--format', 'dotenv', join(FIXTURES, 'sample.env'), '--workspace', 'a/b'], { env }).code).toBe(2);
    const r = cli(['import', '--format', 'dotenv', join(FIXTURES, 'sample.env'), '--workspace', 'app', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      format: 'dotenv',
      total: 8,
      inserted: 7,
      skipped: 1,
      workspacesCreated: 1,
      skippedEntries: [{ where: 'line 6', name: 'EMPTY_VALUE', reason: 'no-secret' }],
      kdfMs: 0,
    });
    const text = cli(['import', '--format', 'dotenv', join(FIXTURES, 'sample.env'), '--workspace', 'app'], { env });
    expect(text.stdout).toMatch(/^Imported 0 of 8 token\(s\); created 0 workspace\(s\); skipped 8\.\n/);
    expect(text.stdout).toMatch(/line 2 "OPENAI_API_KEY": already in the vault \(same name and secret\)/);
    expect(text.stdout + text.stderr).not.toContain('sk-proj-ExportPrefixed123');
    for (const line of text.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // A KeePass file that is not there is said before its password is asked for (reviewer finding).
    const missing = cli(['import', '--format', 'kdbx', join(dir, 'missing.kdbx')], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    expect(missing.stderr).not.toContain('password');
  });

  it('two imports of the same file at once store each token once', async () => {
    const env = await vaultEnv('race');
    const runs = await Promise.all([0, 1, 2].map(() => cliAsync(['import', '--format', 'bitwarden-json', join(FIXTURES, 'bitwarden.json'), '--json'], { env })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.map((r) => JSON.parse(r.stdout).inserted).reduce((a, b) => a + b, 0)).toBe(2);
    expect(JSON.parse(cli(['list', '--json'], { env }).stdout)).toHaveLength(2);
  });

  it('plaintext exports only with --plaintext, with a warning, mode 0600, never over a file without --force; they read back', async () => {
    const env = await vaultEnv('plain');
    expect(cli(['import', '--format', 'dotenv', join(FIXTURES, 'sample.env'), '--workspace', 'app'], { env }).code).toBe(0);
    expect(cli(['import', '--format', 'csv', join(FIXTURES, 'tokens.csv')], { env }).code).toBe(0);
    const envFile = join(dir, 'out.env');
    const refused = cli(['export', '--format', 'dotenv', envFile], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--plaintext/);
    const r = cli(['export', '--format', 'dotenv', envFile, '--plaintext', '--workspace', 'app', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .* plain text/);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    // dotenv reads back exactly the variables that were imported.
    expect(parse(readFileSync(envFile))).toEqual({
      OPENAI_API_KEY: 'sk-proj-ExportPrefixed123',
      STRIPE_SECRET_KEY: 'sk_live_double quoted # not a comment',
      NPM_TOKEN: 'npm_single$NOT_EXPANDED',
      GITHUB_TOKEN: 'ghp_Unquoted',
      PRIVATE_KEY: '-----BEGIN KEY-----\nline two\n-----END KEY-----',
      SPACED_KEY: 'spaced-value',
      DUPLICATE: 'second-value',
    });
    writeFileSync(join(dir, 'keep.csv'), 'precious');
    const clobber = cli(['export', '--format', 'csv', join(dir, 'keep.csv'), '--plaintext'], { env });
    expect(clobber.code).toBe(1);
    expect(readFileSync(join(dir, 'keep.csv'), 'utf8')).toBe('precious');
    expect(cli(['export', '--format', 'csv', join(dir, 'keep.csv'), '--plaintext', '--force'], { env }).code).toBe(0);
    expect(statSync(join(dir, 'keep.csv')).mode & 0o777).toBe(0o600);
    // The CSV export is read back by the CSV import: into a fresh vault, the same tokens.
    const env2 = await vaultEnv('plain-back');
    const back = JSON.parse(cli(['import', '--format', 'csv', join(dir, 'keep.csv'), '--json'], { env: env2 }).stdout);
    expect(back).toMatchObject({ inserted: 9, skipped: 0 });
    const secrets = (e: Record<string, string>) =>
      (JSON.parse(cli(['list', '--json'], { env: e }).stdout) as { id: string; workspace: string; name: string; expiresAt: string | null; scopes: string[] }[])
        .map((t) => `${t.workspace}/${t.name}=${cli(['get', t.id], { env: e }).stdout}|${t.expiresAt}|${t.scopes.join(';')}`)
        .sort();
    expect(secrets(env2)).toEqual(secrets(env));
  });
});

describe('secrets stay encrypted on disk', { timeout: 120_000 }, () => {
  it('after imports, a KeePass export and a backup, no secret is on disk in clear except in the plaintext exports asked for', async () => {
    const env = await vaultEnv('scan');
    const work = tempDir('scan');
    expect(cli(['import', '--format', 'bitwarden-json', join(FIXTURES, 'bitwarden.json')], { env }).code).toBe(0);
    expect(cli(['import', '--format', 'dotenv', join(FIXTURES, 'sample.env'), '--workspace', 'app'], { env }).code).toBe(0);
    expect(cli(['export', '--format', 'kdbx', join(work, 'x.kdbx')], { env: { ...env, TOKEN_VAULT_EXPORT_PASSWORD: 'export-pass-1' } }).code).toBe(0);
    expect(cli(['backup', join(work, 'x.tvbackup')], { env: { ...env, TOKEN_VAULT_BACKUP_PASSWORD: 'backup-pass-1' } }).code).toBe(0);
    const secrets = ['glpat-BitwardenLogin1', 'cf-HiddenFieldSecret', 'sk-proj-ExportPrefixed123', 'npm_single$NOT_EXPANDED', 'export-pass-1', 'backup-pass-1', VAULT_PW];
    const files = [env.TOKEN_VAULT_PATH, `${env.TOKEN_VAULT_PATH}-wal`, join(work, 'x.kdbx'), join(work, 'x.tvbackup')];
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(f);
      } catch {
        continue;
      }
      for (const s of secrets) expect(bytes.includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
    }
  });
});
