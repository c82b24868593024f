import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import type { TimerPort } from '../../../src/main/use-cases/ports';
import { SharingEngine, sharingEngineFor } from '../../../src/main/use-cases/sharing';
import { noKeychain } from '../../../src/main/vault';
import { MemoryClipboard, RecordingNotifier } from '../../support/desktop-stand-ins';
import { openDeviceVault } from '../use-cases/sharing/fixtures/device-vault';

const dir = mkdtempSync(join(tmpdir(), 'tv-share-wiring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Timers driven by the test: `tick()` runs what a 5-minute interval would. */
class HandTimers implements TimerPort {
  readonly live = new Map<number, () => void>();
  private next = 1;
  every(_ms: number, tick: () => void): () => void {
    const id = this.next++;
    this.live.set(id, tick);
    return () => void this.live.delete(id);
  }
  tick(): void {
    for (const fn of this.live.values()) fn();
  }
}

describe('the composition root syncs shares on unlock and on the interval while unlocked', () => {
  it("starts at unlock (a teammate's edit arrives with one tokens:changed), stops at lock", async () => {
    const bare = join(dir, 'team.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    // bob, on another device, shares a workspace
    const bobVault = await openDeviceVault(join(dir, 'bob', 'vault.db'));
    const bob = new SharingEngine({ port: bobVault.sharing, dataDir: join(dir, 'bob', 'sharing'), deviceName: 'bob' });
    const ws = bobVault.workspaces.create({ kind: 'manual', name: 'shared-ws' });
    const token = bobVault.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'deploy-secret-1' });
    await bob.init({ remote: bare, team: 'team', workspaceIds: [ws.id] });

    const events: string[] = [];
    const syncStates: unknown[] = [];
    const timers = new HandTimers();
    const app = createAppService({ userDataDir: join(dir, 'app'), clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: (e, payload) => {
        events.push(e);
        if (e === 'share:sync-state') syncStates.push(payload);
      },
      keychain: noKeychain, timer: timers });
    try {
      expect(app.shareSync.started).toBe(false);
      await app.session.create({ password: 'app password 1', useKeychain: false });
      expect(app.shareSync.started).toBe(true);
      // with no share yet a round does nothing
      expect(await app.shareSync.syncNow()).toEqual([]);

      // the app's device joins bob's share (what the Sharing pane's join does)
      const appVault = app.session.requireUnlocked();
      const identity = sharingEngineFor(appVault).identity().identity;
      await bob.addMember('team', 'me', identity);
      await sharingEngineFor(appVault).join({ remote: bare });
      expect(appVault.tokens.readSecret(token.id)).toBe('deploy-secret-1');

      // bob rotates; the app's next interval tick pulls it and tells the window once
      bobVault.tokens.setSecret(token.id, 'deploy-secret-2');
      await bob.sync('team');
      events.length = 0;
      syncStates.length = 0;
      timers.tick();
      await app.shareSync.syncNow();
      expect(appVault.tokens.readSecret(token.id)).toBe('deploy-secret-2');
      expect(events.filter((e) => e === 'tokens:changed')).toHaveLength(1);
      // the window's "syncing" mark: the team while its sync runs, then nobody
      expect(syncStates.slice(-2)).toEqual([{ syncing: ['team'] }, { syncing: [] }]);

      app.lock('user');
      expect(app.shareSync.started).toBe(false);
      await app.session.unlock('app password 1');
      expect(app.shareSync.started).toBe(true);
      await app.shareSync.syncNow();
    } finally {
      app.close();
      bobVault.close();
    }
  }, 120_000);
});
