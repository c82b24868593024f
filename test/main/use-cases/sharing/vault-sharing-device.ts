import type {
  DeviceKeys,
  HistoryEntry,
  LocalRecord,
  MemberRemovedMark,
  RecordRef,
  RecordSyncState,
  SecretCandidate,
  SharedTokenFields,
  SharedWorkspaceFields,
  ShareState,
  SharingPort,
  SyncBatch,
  SyncRef,
} from '../../../../src/main/use-cases/sharing';
import { vi } from 'vitest';
import type { Vault } from '../../../../src/main/vault';

const REAL_CLOCK = (): Date => new Date();

export { openDeviceVault } from './fixtures/device-vault';

/** A record as the tests compare it (the shape FileSharingPort keeps). */
export interface RecordView<F> {
  fields: F;
  secret: string | null;
  secretConflict: SecretCandidate[] | null;
  revision: string;
  updatedAt: string;
}

/**
 * One device of the sharing tests backed by a REAL vault file: the port is `vault.sharing` (nothing in between), and
 * the helpers edit the vault the way the app and the CLI do (vault.workspaces / vault.tokens), so a sync meets real
 * revisions, shards, caches and encryption at rest. Same helper surface as FileSharingPort.
 */
export class VaultSharingDevice implements SharingPort {
  /**
   * Wall clock for local edits (tests move it to make "which edit was later" explicit): the vault stamps a write with
   * the system time, so an edit runs under a fake Date set to this clock's reading.
   */
  clock: () => Date = REAL_CLOCK;

  constructor(readonly vault: Vault) {}

  private edit<T>(fn: () => T): T {
    if (this.clock === REAL_CLOCK) return fn();
    vi.useFakeTimers({ toFake: ['Date'], now: this.clock() });
    try {
      return fn();
    } finally {
      vi.useRealTimers();
    }
  }

  // ---------------------------------------------------------------- the port: the vault's own implementation
  readDeviceKeys = (): DeviceKeys | null => this.vault.sharing.readDeviceKeys();
  createDeviceKeys = (keys: DeviceKeys): DeviceKeys => this.vault.sharing.createDeviceKeys(keys);
  listShares = (): ShareState[] => this.vault.sharing.listShares();
  saveShare = (share: ShareState, expectEngine: string | null): void => this.vault.sharing.saveShare(share, expectEngine);
  removeShare = (shareId: string): void => this.vault.sharing.removeShare(shareId);
  listRecords = (workspaceIds: readonly string[]): RecordRef[] => this.vault.sharing.listRecords(workspaceIds);
  readRecords = (ids: readonly string[]): LocalRecord[] => this.vault.sharing.readRecords(ids);
  listSyncRefs = (shareId: string): SyncRef[] => this.vault.sharing.listSyncRefs(shareId);
  readSyncStates = (shareId: string, ids: readonly string[]): RecordSyncState[] => this.vault.sharing.readSyncStates(shareId, ids);
  applySync = (shareId: string, batch: SyncBatch): void => this.vault.sharing.applySync(shareId, batch);
  resolveSecretConflict = (shareId: string, recordId: string, secret: string, expectRevision: string, history: HistoryEntry[]): void =>
    this.vault.sharing.resolveSecretConflict(shareId, recordId, secret, expectRevision, history);

  // ---------------------------------------------------------------- what the app and the CLI do to the vault
  addWorkspace(fields: Partial<SharedWorkspaceFields> & { name: string }, secret: string | null = null): string {
    const { kind = 'manual', ...rest } = fields;
    return this.edit(() => this.vault.workspaces.create({ kind, ...rest, adminCredential: secret }).id);
  }

  addToken(workspaceId: string, fields: Partial<SharedTokenFields> & { name: string }, secret: string | null): string {
    return this.addTokens(workspaceId, [{ fields, secret }])[0] as string;
  }

  addTokens(workspaceId: string, tokens: { fields: Partial<SharedTokenFields> & { name: string }; secret: string | null }[]): string[] {
    const out = this.edit(() =>
      this.vault.tokens.applyBatch(workspaceId, {
        insert: tokens.map((t) => ({ createdAt: '2026-01-01T00:00:00.000Z', ...t.fields, workspaceId, secret: t.secret })),
      }),
    );
    return out.inserted.map((t) => t.id);
  }

  editToken(id: string, patch: Partial<SharedTokenFields>): void {
    const { workspaceId, ...rest } = patch;
    if (workspaceId !== undefined) throw new Error('tokens do not move between workspaces in the vault');
    this.edit(() => this.vault.tokens.update(id, rest));
  }

  setSecret(id: string, secret: string | null): void {
    this.edit(() => this.vault.tokens.setSecret(id, secret));
  }

  removeToken(id: string): void {
    this.edit(() => this.vault.tokens.remove(id));
  }

  private views(kind: 'workspace' | 'token'): Record<string, RecordView<SharedTokenFields | SharedWorkspaceFields>> {
    const refs = this.vault.sharing.listRecords(this.vault.workspaces.list().map((w) => w.id)).filter((r) => r.kind === kind);
    const out: Record<string, RecordView<SharedTokenFields | SharedWorkspaceFields>> = {};
    for (const r of this.vault.sharing.readRecords(refs.map((x) => x.id)).sort((x, y) => x.id.localeCompare(y.id)))
      out[r.id] = { fields: r.fields, secret: r.secret, secretConflict: r.secretConflict, revision: r.revision, updatedAt: r.updatedAt };
    return out;
  }

  token(id: string): RecordView<SharedTokenFields> | undefined {
    const r = this.vault.sharing.readRecords([id])[0];
    return r?.kind === 'token' ? { fields: r.fields, secret: r.secret, secretConflict: r.secretConflict, revision: r.revision, updatedAt: r.updatedAt } : undefined;
  }

  tokens(): Record<string, RecordView<SharedTokenFields>> {
    return this.views('token') as Record<string, RecordView<SharedTokenFields>>;
  }

  workspaces(): Record<string, RecordView<SharedWorkspaceFields>> {
    return this.views('workspace') as Record<string, RecordView<SharedWorkspaceFields>>;
  }

  reminders(): MemberRemovedMark[] {
    return this.vault.sharing.removals();
  }

  history(shareId: string, recordId: string): HistoryEntry[] {
    return this.vault.sharing.readSyncStates(shareId, [recordId])[0]?.history ?? [];
  }

  /** Records, secrets and sync states: what "local state unchanged" compares (not lastError/lastSyncAt). */
  contentSnapshot(): string {
    const shares = this.listShares();
    const states = Object.fromEntries(
      shares.map((s) => [s.shareId, this.readSyncStates(s.shareId, this.listSyncRefs(s.shareId).map((r) => r.recordId)).sort((x, y) => x.recordId.localeCompare(y.recordId))]),
    );
    return JSON.stringify({ workspaces: this.workspaces(), tokens: this.tokens(), states, reminders: this.reminders(), engines: shares.map((x) => x.engine) });
  }
}
