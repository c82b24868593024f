import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabProvider } from '../../../src/main/providers/gitlab-provider';
import { giteaProvider } from '../../../src/main/providers/gitea-provider';
import { cloudflareProvider } from '../../../src/main/providers/cloudflare-provider';
import { LIST_PAGE_CAP, LIST_TOKEN_CAP } from '../../../src/main/providers/pagination';
import { contextFor, memoryLogin } from '../../../src/main/providers/provider-registry';
import type { Provider } from '../../../src/main/providers/provider-types';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';
import { ensureCliBuilt } from '../../cli/cli-process';
import { ContractServer, type ContractRequest } from '../../servers/contract/contract-server';

/**
 * Issue 10 item 6: a service that pages forever, or answers with one enormous page, must not hold a sync for minutes
 * or eat the machine's memory: every provider stops at a page cap and a token cap with a typed error, and one answer
 * listing more tokens than a sync may hold is refused before it is turned into objects.
 */
const page = (req: ContractRequest) => Number(req.url.searchParams.get('page') ?? 1);
const gitlabRow = (id: number) => ({ id, name: `t${id}`, revoked: false, active: true, created_at: '2026-01-01T00:00:00Z', scopes: ['api'], expires_at: null });
/** `n` minimal GitLab tokens as one JSON text (~45 bytes each: 90,000 of them are about 4 MB). */
const hugePage = (n: number) => `[${Array.from({ length: n }, (_, i) => `{"id":${i + 1},"name":"t${i}","scopes":[]}`).join(',')}]`;

// Past the cap, the server finally ends: before the fix the list "succeeds" with cap+20 pages instead of hanging.
const endless = new ContractServer([
  ['GET', /^\/api\/v4\/personal_access_tokens$/, (req) => ({ status: 200, json: [gitlabRow(page(req))], headers: { 'x-next-page': page(req) > LIST_PAGE_CAP + 20 ? '' : String(page(req) + 1) } })],
  ['GET', /^\/api\/v1\/users\/[^/]+\/tokens$/, (req) => ({ status: 200, json: page(req) > LIST_PAGE_CAP + 20 ? [] : Array.from({ length: 50 }, (_, i) => ({ id: page(req) * 100 + i, name: `g${page(req)}-${i}`, token_last_eight: 'abcdefgh', scopes: ['all'] })) })],
  ['GET', /^\/client\/v4\/user\/tokens$/, (req) => ({ status: 200, json: { success: true, errors: [], result: [{ id: `cf${page(req)}`, name: `c${page(req)}`, status: 'active' }], result_info: { page: page(req), per_page: 1, total_pages: LIST_PAGE_CAP + 21 } } })],
]);
const huge = new ContractServer([
  ['GET', /^\/api\/v4\/user$/, () => ({ status: 200, json: { id: 1, username: 'root' } })],
  ['GET', /^\/api\/v4\/personal_access_tokens$/, () => ({ status: 200, text: hugePage(90_000), headers: { 'content-type': 'application/json', 'x-next-page': '' } })],
]);

const NEAR_CAP = LIST_TOKEN_CAP - 1000;
const nearCap = new ContractServer([
  ['GET', /^\/api\/v4\/personal_access_tokens$/, () => ({ status: 200, text: hugePage(NEAR_CAP), headers: { 'content-type': 'application/json', 'x-next-page': '' } })],
]);

let endlessUrl = '';
let hugeUrl = '';
let nearCapUrl = '';
beforeAll(async () => {
  [endlessUrl, hugeUrl, nearCapUrl] = await Promise.all([endless.start(), huge.start(), nearCap.start()]);
});
afterAll(async () => {
  await Promise.all([endless.stop(), huge.stop(), nearCap.stop()]);
});

const fast = { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 }, maxRetries: 0 };
const ctxOf = (provider: Provider, baseUrl: string) =>
  contextFor(provider, { id: `ws-${provider.kind}-${Math.random()}`, name: provider.kind, baseUrl, username: 'root', adminSecret: 'admin-secret', options: {} }, memoryLogin(), fast);

describe('issue 10 item 6: every provider stops paging at the page cap with a typed error', () => {
  for (const provider of [gitlabProvider, giteaProvider, cloudflareProvider]) {
    it(`${provider.label}: a service that always has a next page is stopped after ${LIST_PAGE_CAP} pages`, async () => {
      const before = endless.requests.length;
      const url = provider === cloudflareProvider ? `${endlessUrl}/client/v4` : endlessUrl;
      await expect(provider.list(ctxOf(provider, url))).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/pages/) });
      expect(endless.requests.length - before).toBeLessThanOrEqual(LIST_PAGE_CAP);
    }, 120_000);
  }
});

describe('issue 10 item 6: one enormous page is refused before it costs the machine its memory', () => {
  it(`a page of 90,000 tokens (more than the ${LIST_TOKEN_CAP.toLocaleString('en-US')} a sync may hold) is a typed error`, async () => {
    await expect(gitlabProvider.list(ctxOf(gitlabProvider, hugeUrl))).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/more than/) });
  });

  it('`token-vault workspace sync` against it: exit 1, typed message, peak memory far below the 908 MB it cost', async () => {
    const run = await syncInChild(hugeUrl);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/more than/);
    expect(run.peakKiB).toBeLessThan(300 * 1024);
  }, 120_000);

  it('the largest sync allowed (one page just under the token cap) stays bounded too: all stored, peak under 350 MB', async () => {
    const run = await syncInChild(nearCapUrl);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`gl\\s+${NEAR_CAP}\\s+${NEAR_CAP}`));
    expect(run.peakKiB).toBeLessThan(350 * 1024);
  }, 240_000);
});

/** `token-vault workspace sync gl` in a child process against `url`, with its peak memory (GNU time, /usr/bin/time). */
async function syncInChild(url: string): Promise<{ code: number | null; stdout: string; peakKiB: number }> {
  ensureCliBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'tv-huge-page-'));
  try {
    const path = join(dir, 'vault.db');
    const v = await Vault.create(path, { password: 'huge page password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    v.workspaces.create({ kind: 'gitlab', name: 'gl', baseUrl: url, adminCredential: 'glpat-admin' });
    v.close();
    // The server runs in this process: the child must not block it, so spawn asynchronously and wait.
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/token-vault.js', 'workspace', 'sync', 'gl'], { env: { ...process.env, TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: 'huge page password' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    return { code, stdout, peakKiB: Number(stderr.trim().split('\n').pop()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

