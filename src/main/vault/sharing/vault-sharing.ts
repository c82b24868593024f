import { AppFailure } from '../../errors';
import type { VaultCore } from '../db/vault-core';
import type { HistoryEntry, MemberRemovedMark, SyncBatch, VaultSharing } from './share-records';
import { applyRecordChanges, listRecords, pickSecret, readRecords, revisionsOf } from './share-local-records';
import {
  addRemovals,
  appendHistory,
  createDeviceKeys,
  deleteShare,
  dropOrphanConflicts,
  listRemovals,
  listShares,
  listSyncRefs,
  putShare,
  readConflicts,
  readDeviceKeys,
  readSyncStates,
  writeSyncStates,
} from './share-store';

const changed = (what: string) => new AppFailure('share-local-changed', `${what} changed in this vault while the share synced.`);

/** The vault's side of sharing (`vault.sharing`): the port the sharing engine syncs through, and what the app reads. */
export interface VaultSharingStore extends VaultSharing {
  /** Every "member removed" mark (token, the member's name, when). */
  removals(): MemberRemovedMark[];
  /** The share a workspace belongs to, by workspace id (for marking shared workspaces). */
  sharedWorkspaces(): Map<string, { shareId: string; team: string }>;
}

export function vaultSharing(core: VaultCore): VaultSharingStore {
  /**
   * One transaction; the caches the record operations patched while it ran are dropped when it fails, since the
   * rollback undid what they describe.
   */
  const write = <T>(fn: () => T): T => {
    try {
      return core.write(fn);
    } catch (error) {
      core.forgetCaches();
      throw error;
    }
  };

  return {
    readDeviceKeys: () => readDeviceKeys(core),
    createDeviceKeys: (keys) => createDeviceKeys(core, keys),
    listShares: () => listShares(core),
    saveShare: (share, expectEngine) => write(() => putShare(core, share, expectEngine)),
    removeShare: (shareId) => write(() => deleteShare(core, shareId)),
    listRecords: (workspaceIds) => listRecords(core, workspaceIds),
    readRecords: (ids) => readRecords(core, ids),
    listSyncRefs: (shareId) => listSyncRefs(core, shareId),
    readSyncStates: (shareId, ids) => readSyncStates(core, shareId, ids),

    applySync(shareId: string, batch: SyncBatch): void {
      write(() => {
        // Compare-and-set first: the share's bookkeeping and every record the merge read are as they were.
        const engineNow = listShares(core).find((s) => s.shareId === shareId)?.engine ?? null;
        if (engineNow !== batch.expectShare) throw changed('The share');
        const now = revisionsOf(core, batch.expect.map((e) => e.id));
        for (const e of batch.expect) if ((now.get(e.id) ?? null) !== e.revision) throw changed('A shared record');
        applyRecordChanges(core, batch.put, batch.remove);
        const putIds = new Set(batch.put.map((p) => p.id));
        const written = revisionsOf(core, [...putIds]);
        const states = batch.states.put.map((s) => (putIds.has(s.recordId) ? { ...s, revision: written.get(s.recordId) ?? null } : s));
        writeSyncStates(core, shareId, states, batch.states.drop);
        addRemovals(core, shareId, batch.reminders);
        dropOrphanConflicts(core);
        putShare(core, batch.share, batch.expectShare);
      });
      if (batch.put.length + batch.remove.length > 0) core.touchAll();
    },

    resolveSecretConflict(shareId: string, recordId: string, secret: string, expectRevision: string, history: HistoryEntry[]): void {
      write(() => {
        if (revisionsOf(core, [recordId]).get(recordId) !== expectRevision) throw changed('The record');
        const kind = readRecords(core, [recordId])[0]?.kind;
        if (!kind) throw new AppFailure('not-found', 'That record was not found in the vault.');
        if (!readConflicts(core, [recordId]).has(recordId)) throw new AppFailure('invalid-argument', 'That record has one secret: there is nothing to pick.');
        pickSecret(core, recordId, kind, secret);
        appendHistory(core, shareId, recordId, history);
      });
    },

    removals: () => listRemovals(core),

    sharedWorkspaces() {
      const out = new Map<string, { shareId: string; team: string }>();
      for (const s of listShares(core)) for (const w of s.workspaceIds) out.set(w, { shareId: s.shareId, team: s.team });
      return out;
    },
  };
}
