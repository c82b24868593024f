import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, writeBackup } from '../../../../src/main/use-cases/transfer/backup-vault';
import { BIN, ensureBuilt } from '../../../cli/cli-support';
import { newVault, openVault, tempDir, VAULT_PW } from './transfer-support';

// kill -9 at spread-out moments of a real `token-vault backup` / `token-vault restore --force` process: the vault
// path must always hold the old vault or the new one, whole, and it must open; a backup file is absent or whole.
const dir = tempDir('crash');
// Kill moments per sweep; each round pays a CLI start, an unlock and (for a whole file) a restore at the KDF floors.
const ROUNDS = 6;

beforeAll(() => ensureBuilt());

async function seeded(path: string, prefix: string, n: number) {
  const v = await newVault(path);
  const ws = v.workspaces.create({ kind: 'manual', name: 'team' });
  v.tokens.applyBatch(ws.id, { insert: Array.from({ length: n }, (_, i) => ({ workspaceId: ws.id, name: `${prefix}-${i}`, secret: `${prefix}-secret-${i}`, notes: 'x'.repeat(200) })) });
  v.close();
}

async function stateOf(path: string): Promise<string> {
  const v = await openVault(path);
  try {
    const names = v.tokens.list().map((t) => t.name);
    const prefixes = new Set(names.map((n) => n.split('-')[0]));
    expect(prefixes.size, 'one vault, never a mix').toBe(1);
    return `${[...prefixes][0]}:${names.length}`;
  } finally {
    v.close();
  }
}

/** Runs the CLI and kills it with SIGKILL after `ms` (or lets it finish); resolves with how it ended. */
function runKilled(args: string[], env: Record<string, string>, ms: number): Promise<{ killed: boolean; code: number | null; took: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, took: performance.now() - t0 });
    });
  });
}

/**
 * Kills at ROUNDS moments spread over `span` ms; `round(ms)` runs one killed process and names what it left (`early`
 * when the kill came before the work was done, `late` after). On two shared cores one sweep may see only one of
 * the two: then the span is stretched (only early seen) or shrunk (only late seen), at most four sweeps.
 */
async function sweepKills(span: number, round: (ms: number, tag: string) => Promise<'early' | 'late'>): Promise<Record<'early' | 'late', number>> {
  const seen = { early: 0, late: 0 };
  for (let sweep = 0; sweep < 4 && (seen.early === 0 || seen.late === 0); sweep++) {
    for (let i = 0; i < ROUNDS; i++) seen[await round((span * (i + 0.5)) / ROUNDS, `${sweep}-${i}`)]++;
    span = seen.late === 0 ? span * 2 : span / 2;
  }
  return seen;
}

describe('kill -9 during backup and restore', () => {
  it('restore: the vault path holds the old or the new vault, whole, after every kill', async () => {
    const path = join(dir, 'restore', 'vault.db');
    const newer = join(dir, 'restore-src', 'vault.db');
    await seeded(path, 'old', 1500);
    await seeded(newer, 'new', 1200);
    const backup = join(dir, 'new.tvbackup');
    const src = await openVault(newer);
    await writeBackup(src, { path: backup, replace: false });
    src.close();
    const oldBackup = join(dir, 'old.tvbackup');
    const old = await openVault(path);
    await writeBackup(old, { path: oldBackup, replace: false });
    old.close();
    const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW };
    const full = await runKilled(['restore', backup, '--force'], env, 60_000);
    expect(full.code).toBe(0);
    expect(await stateOf(path)).toBe('new:1200');
    const seen = await sweepKills(full.took * 1.2, async (ms) => {
      await restoreBackup({ backupPath: oldBackup, vaultPath: path, replace: true, unlock: { masterPassword: VAULT_PW } });
      const run = await runKilled(['restore', backup, '--force'], env, ms);
      const state = await stateOf(path);
      expect(['old:1500', 'new:1200']).toContain(state);
      if (!run.killed) expect(state).toBe('new:1200');
      return state.startsWith('old') ? 'early' : 'late';
    });
    expect(seen.early, 'kills that left the old vault').toBeGreaterThan(0);
    expect(seen.late, 'kills that left the new vault').toBeGreaterThan(0);
    // Leftovers of killed runs are never a second vault file beside it in plain view: only the vault's own names.
    for (const f of readdirSync(join(dir, 'restore'))) expect(f).toMatch(/^vault\.db(-wal|-shm|\.before-restore.*|\.restoring-[0-9a-f]+)?$/);
  }, 240_000);

  it('backup: the vault is untouched and the backup file is absent or whole after every kill', async () => {
    const path = join(dir, 'backup', 'vault.db');
    await seeded(path, 'live', 1500);
    const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW };
    const probe = join(dir, 'backup', 'probe.tvbackup');
    const full = await runKilled(['backup', probe], env, 60_000);
    expect(full.code).toBe(0);
    const seen = await sweepKills(full.took * 1.2, async (ms, tag) => {
      const file = join(dir, 'backup', `b${tag}.tvbackup`);
      await runKilled(['backup', file], env, ms);
      expect(await stateOf(path)).toBe('live:1500');
      if (!existsSync(file)) return 'early';
      const target = join(dir, 'backup', `restored-${tag}`, 'vault.db');
      await restoreBackup({ backupPath: file, vaultPath: target, replace: false, unlock: { masterPassword: VAULT_PW } });
      expect(await stateOf(target)).toBe('live:1500');
      return 'late';
    });
    expect(seen.early, 'kills that left no backup file').toBeGreaterThan(0);
    expect(seen.late, 'kills that left a whole backup file').toBeGreaterThan(0);
  }, 240_000);
});
