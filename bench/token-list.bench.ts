import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { createAppService } from '../src/main/ipc/create-app-service';
import { MemoryClipboard, RecordingNotifier } from '../test/support/desktop-stand-ins';
import { median, recordBench } from './record';
import { syntheticTokens } from './synthetic-tokens';

/**
 * `tokens:list` in main at 10k and 50k tokens: the handler alone (summaries + workspaces + reminder state per token),
 * the way the window calls it after each unlock and each change. A global rotation policy is set so every token has a
 * rotation state to compute. Measures, asserts nothing.
 */
const SIZES = [10_000, 50_000];
const RUNS = 7;


test('tokens:list at 10k and 50k tokens', async () => {
  const figures: Record<string, unknown> = {};
  const rows: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'token-vault-list-bench-'));
    const service = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => undefined });
    try {
      await service.handlers['vault:create']({ password: 'bench password', useKeychain: false });
      const vault = service.session.requireUnlocked();
      vault.tokens.import(syntheticTokens(n), 'bench');
      vault.settings.update({ rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } });
      const list = service.handlers['tokens:list'];
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        count = (await list(undefined)).length;
        times.push(performance.now() - t0);
      }
      const listMs = Math.round(median(times.slice(1)) * 10) / 10;
      figures[String(n)] = { listMs, tokens: count };
      rows.push({ tokens: n, listMs });
    } finally {
      service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  recordBench('tokenList', { sizes: figures }, rows);
});
