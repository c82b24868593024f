import type { shareChannels } from '../../shared/ipc/share-channels';
import { AppFailure } from '../errors';
import type { ClipboardPort } from '../use-cases/ports';
import type { ShareSyncScheduler, SharingEngine } from '../use-cases/sharing';
import type { VaultSession } from '../use-cases/vault-session';
import type { Vault } from '../vault';
import type { HandlersOf } from './handlers';

/**
 * share:* — the Sharing pane. One engine per open vault (the composition root's, shared with the scheduler), so a
 * sync asked for in the window and a scheduled round never run at once; "sync every share" IS the scheduler's round.
 */
export function createShareHandlers(
  session: VaultSession,
  engineFor: (vault: Vault) => SharingEngine,
  scheduler: ShareSyncScheduler,
  clipboard: ClipboardPort,
): HandlersOf<typeof shareChannels> {
  const engine = () => engineFor(session.requireUnlocked());
  return {
    'share:get-identity': () => engine().identity(),
    'share:copy-identity': async () => {
      await clipboard.writeText(engine().identity().identity);
      return { copied: true as const };
    },
    'share:get-overview': async () => {
      const vault = session.requireUnlocked();
      const e = engineFor(vault);
      const sharedWorkspaces: Record<string, string> = {};
      for (const [id, s] of vault.sharing.sharedWorkspaces()) sharedWorkspaces[id] = s.team;
      // Clear columns only (the "two secrets" flag): nothing is decrypted to find them.
      const conflictedWorkspaces = vault.sharing
        .listRecords(Object.keys(sharedWorkspaces))
        .filter((r) => r.kind === 'workspace' && r.secretConflict)
        .map((r) => r.id);
      return { shares: await e.status(), members: e.members(), sharedWorkspaces, conflictedWorkspaces };
    },
    'share:init': (input) => engine().init(input),
    'share:join': ({ remote }) => engine().join({ remote }),
    'share:add-member': ({ team, name, identity }) => engine().addMember(team, name, identity),
    'share:remove-member': ({ team, name }) => engine().removeMember(team, name),
    'share:add-workspace': ({ team, workspaceId }) => engine().addWorkspace(team, workspaceId),
    'share:sync': async ({ team }) => {
      if (team === undefined) {
        session.requireUnlocked();
        return scheduler.syncNow();
      }
      return [{ team, ok: true as const, outcome: await engine().sync(team) }];
    },
    'share:list-candidates': ({ recordId }) => {
      const record = session.requireUnlocked().sharing.readRecords([recordId])[0];
      if (!record) throw new AppFailure('not-found', 'That record was not found in the vault.');
      return (record.secretConflict ?? []).map((c, index) => ({ index, setBy: c.setBy, setAt: c.setAt }));
    },
    'share:pick-secret': ({ recordId, index }) => {
      engine().pickSecret(recordId, index);
      return { recordId };
    },
  };
}
