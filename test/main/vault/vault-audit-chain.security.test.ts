import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noKeychain, Vault } from '../../../src/main/vault';
import { ensureCliBuilt, runCli } from '../../cli/cli-process';
import { newVault, PASSWORD, tempDirs } from './vault-support';

/**
 * Issue 10 item 8: the audit log could be rewritten (drop the trigger, delete rows, edit action or actor) unnoticed.
 * Each entry is now chained to the one before (HMAC under a key derived from the data key) and the manifest holds the
 * head; `vault.audit.verify()` and `token-vault audit --verify` name the first broken link (exit 1) or say ok.
 */
const tmp = tempDirs();

async function seeded(dir: string): Promise<string> {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'manual', name: 'ops' });
  const t = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 's3cret-audit' });
  for (let i = 0; i < 4; i++) v.tokens.readSecret(t.id, { action: 'revealed', actor: 'cli' });
  v.close();
  return join(dir, 'vault.db');
}

/** SQL on the closed file, as someone holding it would: triggers dropped first. */
function rewrite(path: string, sql: string): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function verify(path: string) {
  const v = Vault.open(path, { keychain: noKeychain });
  await v.keys.unlockWithPassword(PASSWORD);
  try {
    return v.audit.verify();
  } finally {
    v.close();
  }
}

describe('issue 10 item 8: the audit log is a chain', () => {
  it('an untouched log verifies, and keeps verifying as entries are added by another handle', async () => {
    const path = await seeded(tmp());
    expect(await verify(path)).toEqual({ ok: true, entries: 5 });
    const v = Vault.open(path, { keychain: noKeychain });
    await v.keys.unlockWithPassword(PASSWORD);
    v.audit.append({ action: 'revealed', actor: 'app' });
    v.close();
    expect(await verify(path)).toEqual({ ok: true, entries: 6 });
  });

  const attacks: [string, string, { brokenAt: number; problem: string }][] = [
    ['an edited action', "UPDATE audit SET action = 'synced' WHERE seq = 3", { brokenAt: 3, problem: 'changed' }],
    ['an edited actor', "UPDATE audit SET actor = 'app' WHERE seq = 4", { brokenAt: 4, problem: 'changed' }],
    ['deleted rows in the middle', 'DELETE FROM audit WHERE seq IN (2, 3)', { brokenAt: 2, problem: 'missing' }],
    ['the oldest rows deleted', 'DELETE FROM audit WHERE seq <= 2', { brokenAt: 1, problem: 'missing' }],
    ['a truncated tail', 'DELETE FROM audit WHERE seq >= 4', { brokenAt: 4, problem: 'missing' }],
    ['a row added at the end', "INSERT INTO audit (seq, uid, at, action, actor) VALUES (6, 'x', '2026-01-01', 'revealed', 'app')", { brokenAt: 6, problem: 'extra' }],
  ];
  for (const [what, sql, expected] of attacks) {
    it(`${what} (trigger dropped first) is found, at the first broken link`, async () => {
      const path = await seeded(tmp());
      rewrite(path, sql);
      expect(await verify(path)).toMatchObject({ ok: false, ...expected });
    });
  }

  it('token-vault audit --verify: exit 0 and ok, then exit 1 naming the entry after an edit', async () => {
    ensureCliBuilt();
    const path = await seeded(tmp());
    const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD };
    const good = await runCli(['audit', '--verify'], env);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/intact: 5 entries/);
    rewrite(path, "UPDATE audit SET actor = 'someone-else' WHERE seq = 2");
    const bad = await runCli(['audit', '--verify'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/entry #2 was changed/);
    const json = await runCli(['audit', '--verify', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, entries: 5, brokenAt: 2, problem: 'changed' });
  }, 120_000);
});
