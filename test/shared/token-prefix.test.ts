import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIX_SECRET_CHARS, prefixOfSecret, visiblePrefix } from '../../src/shared/token-prefix';
import type { TokenDto } from '../../src/shared/ipc/tokens-channels';
import { createAppService, type AppService } from '../../src/main/ipc/create-app-service';
import { noKeychain } from '../../src/main/vault';
import { MemoryClipboard, RecordingNotifier } from '../support/desktop-stand-ins';
import { createGiteaServer } from '../servers/contract/gitea-server';

describe('one rule for a token prefix (src/shared/token-prefix.ts)', () => {
  it('stores the first eight characters of a fresh secret, never more than a third of a short one', () => {
    expect(prefixOfSecret('glpat-abcdefghijklmnopqrst')).toBe('glpat-ab');
    expect(prefixOfSecret('mnl_7f3a9c2e1b0d4f6a8c0e')).toBe('mnl_7f3a');
    expect(prefixOfSecret('0f1e2d3c4b5a69788796a5b4c3d2e1f0')).toBe('0f1e2d3c');
    expect(prefixOfSecret('abcdefghijkl')).toBe('abcd');
    expect(prefixOfSecret('ab')).toBe('');
  });

  it('shows at most eight characters of a secret; a service mask mark is shown and not counted', () => {
    expect(visiblePrefix('…a1b2c3d4')).toBe('…a1b2c3d4');
    expect(visiblePrefix('MzUxM...wZTI=')).toBe('MzUxM...wZT');
    expect(visiblePrefix('sk-****abcd')).toBe('sk-****abcd');
    expect(visiblePrefix('glpat-')).toBe('glpat-');
    expect(visiblePrefix('0123456789abcdef')).toBe('01234567');
    for (const p of ['…a1b2c3d4e5', 'MzUxM...wZTI=', 'x'.repeat(40)]) expect(visiblePrefix(p).replace(/…|\.{3}|\*+/g, '').length).toBeLessThanOrEqual(PREFIX_SECRET_CHARS);
  });
});

describe("Gitea's last eight in the window", () => {
  const gitea = createGiteaServer();
  const dir = mkdtempSync(join(tmpdir(), 'tv-prefix-'));
  let app: AppService;
  beforeAll(async () => {
    await gitea.server.start();
    app = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => {}, keychain: noKeychain });
  });
  afterAll(async () => {
    app.close();
    await gitea.server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows all eight characters Gitea gives (it was cut to seven), in the list and on copy-prefix', async () => {
    const h = app.handlers;
    await h['vault:create']({ password: 'prefix-test-password', useKeychain: false });
    const ws = await h['workspaces:add']({ kind: 'gitea', name: 'gitea', baseUrl: gitea.server.url, username: gitea.user, adminSecret: gitea.password });
    gitea.seed(1);
    await h['workspaces:sync']({ id: ws.id });
    const [token] = (await h['tokens:list'](undefined)) as TokenDto[];
    const lastEight = gitea.tokens[0]!.sha1.slice(-8);
    expect(token?.prefix).toBe(`…${lastEight}`);
    expect(await h['tokens:copy-prefix']({ tokenId: token!.id })).toEqual({ prefix: `…${lastEight}` });
  });
});
