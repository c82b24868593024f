import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { syncWorkspaces } from '../src/main/use-cases/sync-service';
import { addWorkspace } from '../src/main/use-cases/workspace-service';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../src/main/vault';
import { createVaultServer } from '../test/servers/contract/vault-server';
import { recordBench } from './record';

/**
 * Sync 50 workspaces x 200 tokens from local HashiCorp Vault contract servers (the worst case: one LIST plus one
 * lookup per token) that add 20 ms latency and allow 10 requests/s per workspace. The floor is what the rate limit
 * alone forces: (requests - burst) / rate for the busiest workspace.
 */
const WORKSPACES = 50;
const TOKENS = 200;
const RATE = 10;
const BURST = 10;
const LATENCY_MS = 20;

it('syncs 50 workspaces x 200 tokens under 10 req/s each', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-bench-sync-'));
  const servers = Array.from({ length: WORKSPACES }, () => createVaultServer());
  try {
    for (const s of servers) {
      s.seed(TOKENS);
      s.server.latencyMs = LATENCY_MS;
      s.server.rateLimit = { perSecond: RATE, burst: BURST };
      await s.server.start();
    }
    const vault = await Vault.create(join(dir, 'vault.db'), { password: 'bench password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    // The client paces itself a little under the service's limit: request arrival jitters by a few ms, and each 429
    // costs a whole Retry-After second.
    const clientOverrides = { rateLimit: { perSecond: RATE * 0.95, burst: BURST - 1 } };
    for (const [i, s] of servers.entries()) {
      await addWorkspace(vault, { kind: 'vault', name: `vault-${i}`, baseUrl: s.server.url, adminSecret: s.rootToken, verify: false }, clientOverrides);
    }
    for (const s of servers) {
      s.server.requests.length = 0;
      s.server.rateLimit = { perSecond: RATE, burst: BURST }; // fresh server bucket
    }
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const results = await syncWorkspaces(vault, vault.workspaces.list(), { clientOverrides });
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    const failed = results.filter((r) => !r.ok);
    const requests = servers.map((s) => s.server.requests.length);
    const throttled = requests.reduce((n, r) => n + r, 0) - WORKSPACES * (TOKENS + 1);
    // Second pass: everything known already, so this isolates the network side from inserting 10,000 new records.
    for (const s of servers) s.server.requests.length = 0;
    await new Promise((r) => setTimeout(r, 1500));
    const again = performance.now();
    await syncWorkspaces(vault, vault.workspaces.list(), { clientOverrides });
    const resyncMs = performance.now() - again;
    const maxRequests = Math.max(...requests);
    const floorMs = ((maxRequests - BURST) / RATE) * 1000;
    const figures = {
      workspaces: WORKSPACES,
      tokensPerWorkspace: TOKENS,
      tokensSynced: results.reduce((n, r) => n + r.total, 0),
      failedWorkspaces: failed.length,
      requestsPerWorkspace: maxRequests,
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      ratioToFloor: Number((wallMs / floorMs).toFixed(3)),
      target: '<= 1.2x the rate-limit floor',
      peakRssMb: Math.round(peakRss / 1048576),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
      extraRequestsFrom429: throttled,
      resyncMs: Math.round(resyncMs),
      resyncRatioToFloor: Number((resyncMs / floorMs).toFixed(3)),
    };
    recordBench('sync', figures, [figures]);
    vault.close();
  } finally {
    for (const s of servers) await s.server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
