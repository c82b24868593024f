import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../../../src/main/errors';
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

/**
 * A file-backed stand-in for the vault behind the sharing port, for this round (the vault implements the port next).
 * One JSON file per device; every write replaces it whole through write-temp, fsync, rename, so `applySync` is
 * atomic and survives kill -9 exactly as the port requires. It enforces the port's compare-and-set guarantees.
 * What it does not do that the vault will: encrypt at rest, and serialize two processes writing at once (the tests
 * never write one store from two processes at the same time).
 */

interface StoredRecord<F> {
  fields: F;
  secret: string | null;
  secretConflict: SecretCandidate[] | null;
  revision: string;
  updatedAt: string;
}

interface Store {
  device: DeviceKeys | null;
  shares: ShareState[];
  workspaces: Record<string, StoredRecord<SharedWorkspaceFields>>;
  tokens: Record<string, StoredRecord<SharedTokenFields>>;
  states: Record<string, Record<string, RecordSyncState>>;
  reminders: MemberRemovedMark[];
  revision: number;
}

const empty = (): Store => ({ device: null, shares: [], workspaces: {}, tokens: {}, states: {}, reminders: [], revision: 0 });

export const defaultTokenFields = (workspaceId: string, name: string): SharedTokenFields => ({
  workspaceId,
  remoteId: null,
  name,
  description: null,
  prefix: null,
  type: null,
  scopes: [],
  url: null,
  notes: null,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  usageCount: null,
  rotationPolicy: null,
  lastRotatedAt: null,
  warningDays: null,
  replacedById: null,
  replacesId: null,
});

export class FileSharingPort implements SharingPort {
  /** Wall clock for local edits (tests move it to make "which edit was later" explicit). */
  clock: () => Date = () => new Date();

  /** In memory (path null: the benchmark measures the engine and git, not this stand-in's JSON file). */
  private memory: Store | null = null;

  constructor(readonly path: string | null) {
    if (path === null) this.memory = empty();
    else if (!existsSync(path)) this.save(empty());
  }

  load(): Store {
    return this.memory ?? (JSON.parse(readFileSync(this.path as string, 'utf8')) as Store);
  }

  private save(store: Store): void {
    if (this.memory) {
      this.memory = store;
      return;
    }
    const tmp = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, JSON.stringify(store));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path as string);
  }

  private nextRevision(store: Store): string {
    store.revision++;
    return `r${store.revision}`;
  }

  // ---------------------------------------------------------------- the port

  readDeviceKeys(): DeviceKeys | null {
    return this.load().device;
  }

  createDeviceKeys(keys: DeviceKeys): DeviceKeys {
    const store = this.load();
    if (store.device) return store.device;
    store.device = keys;
    this.save(store);
    return keys;
  }

  listShares(): ShareState[] {
    return this.load().shares;
  }

  saveShare(share: ShareState, expectEngine: string | null): void {
    const store = this.load();
    const i = store.shares.findIndex((s) => s.shareId === share.shareId);
    const current = i >= 0 ? (store.shares[i] as ShareState).engine : null;
    if (current !== expectEngine) throw new AppFailure('share-local-changed', 'The share changed meanwhile.');
    if (i >= 0) store.shares[i] = share;
    else store.shares.push(share);
    this.save(store);
  }

  removeShare(shareId: string): void {
    const store = this.load();
    store.shares = store.shares.filter((s) => s.shareId !== shareId);
    delete store.states[shareId];
    this.save(store);
  }

  listRecords(workspaceIds: readonly string[]): RecordRef[] {
    const store = this.load();
    const ids = new Set(workspaceIds);
    const out: RecordRef[] = [];
    for (const id of ids) {
      const w = store.workspaces[id];
      if (w) out.push({ kind: 'workspace', id, revision: w.revision, secretConflict: w.secretConflict !== null });
    }
    for (const [id, t] of Object.entries(store.tokens)) if (ids.has(t.fields.workspaceId)) out.push({ kind: 'token', id, revision: t.revision, secretConflict: t.secretConflict !== null });
    return out;
  }

  readRecords(ids: readonly string[]): LocalRecord[] {
    const store = this.load();
    const out: LocalRecord[] = [];
    for (const id of new Set(ids)) {
      const w = store.workspaces[id];
      const t = store.tokens[id];
      if (w) out.push({ kind: 'workspace', id, ...structuredClone(w) });
      else if (t) out.push({ kind: 'token', id, ...structuredClone(t) });
    }
    return out;
  }

  listSyncRefs(shareId: string): SyncRef[] {
    return Object.values(this.load().states[shareId] ?? {}).map(({ recordId, kind, revision, blob, deleted }) => ({ recordId, kind, revision, blob, deleted }));
  }

  readSyncStates(shareId: string, ids: readonly string[]): RecordSyncState[] {
    const states = this.load().states[shareId] ?? {};
    return [...new Set(ids)].flatMap((id) => (states[id] ? [structuredClone(states[id])] : []));
  }

  applySync(shareId: string, batch: SyncBatch): void {
    const store = this.load();
    const share = store.shares.find((s) => s.shareId === shareId);
    if ((share?.engine ?? null) !== batch.expectShare) throw new AppFailure('share-local-changed', 'The share changed meanwhile.');
    for (const e of batch.expect) {
      const current = store.workspaces[e.id]?.revision ?? store.tokens[e.id]?.revision ?? null;
      if (current !== e.revision) throw new AppFailure('share-local-changed', 'A record changed meanwhile.');
    }
    const now = this.clock().toISOString();
    for (const r of batch.remove) {
      if (r.kind === 'token') delete store.tokens[r.id];
      else delete store.workspaces[r.id];
    }
    for (const p of batch.put) {
      const stored = { secret: p.secret, secretConflict: p.secretConflict, revision: this.nextRevision(store), updatedAt: now };
      if (p.kind === 'workspace') store.workspaces[p.id] = { ...stored, fields: p.fields };
      else {
        if (!store.workspaces[p.fields.workspaceId]) throw new AppFailure('not-found', 'A token arrived for a workspace this vault does not have.');
        store.tokens[p.id] = { ...stored, fields: p.fields };
      }
    }
    const states = (store.states[shareId] ??= {});
    const putRevision = new Map(batch.put.map((p) => [p.id, (store.workspaces[p.id] ?? store.tokens[p.id])?.revision ?? null]));
    for (const s of batch.states.put) states[s.recordId] = { ...s, revision: putRevision.has(s.recordId) ? (putRevision.get(s.recordId) ?? null) : s.revision };
    for (const id of batch.states.drop) delete states[id];
    store.reminders.push(...batch.reminders);
    const i = store.shares.findIndex((s) => s.shareId === shareId);
    store.shares[i] = batch.share;
    this.save(store);
  }

  resolveSecretConflict(shareId: string, recordId: string, secret: string, expectRevision: string, history: HistoryEntry[]): void {
    const store = this.load();
    const r = store.tokens[recordId] ?? store.workspaces[recordId];
    if (!r || r.revision !== expectRevision) throw new AppFailure('share-local-changed', 'The record changed meanwhile.');
    r.secret = secret;
    r.secretConflict = null;
    r.revision = this.nextRevision(store);
    r.updatedAt = this.clock().toISOString();
    const state = store.states[shareId]?.[recordId];
    if (state) state.history = [...state.history, ...history];
    this.save(store);
  }

  // ---------------------------------------------------------------- what the app and the CLI do to the vault

  addWorkspace(fields: Partial<SharedWorkspaceFields> & { name: string }, secret: string | null = null): string {
    const store = this.load();
    const id = randomUUID();
    store.workspaces[id] = {
      fields: { kind: 'manual', baseUrl: null, username: null, tokenPageUrl: null, rotationPolicy: null, ...fields },
      secret,
      secretConflict: null,
      revision: this.nextRevision(store),
      updatedAt: this.clock().toISOString(),
    };
    this.save(store);
    return id;
  }

  addToken(workspaceId: string, fields: Partial<SharedTokenFields> & { name: string }, secret: string | null): string {
    return this.addTokens(workspaceId, [{ fields, secret }])[0] as string;
  }

  addTokens(workspaceId: string, tokens: { fields: Partial<SharedTokenFields> & { name: string }; secret: string | null }[]): string[] {
    const store = this.load();
    const now = this.clock().toISOString();
    const ids = tokens.map((t) => {
      const id = randomUUID();
      store.tokens[id] = { fields: { ...defaultTokenFields(workspaceId, t.fields.name), ...t.fields }, secret: t.secret, secretConflict: null, revision: this.nextRevision(store), updatedAt: now };
      return id;
    });
    this.save(store);
    return ids;
  }

  editToken(id: string, patch: Partial<SharedTokenFields>): void {
    const store = this.load();
    const t = store.tokens[id];
    if (!t) throw new Error(`no token ${id}`);
    t.fields = { ...t.fields, ...patch };
    t.revision = this.nextRevision(store);
    t.updatedAt = this.clock().toISOString();
    this.save(store);
  }

  setSecret(id: string, secret: string | null): void {
    const store = this.load();
    const t = store.tokens[id];
    if (!t) throw new Error(`no token ${id}`);
    t.secret = secret;
    t.secretConflict = null;
    t.revision = this.nextRevision(store);
    t.updatedAt = this.clock().toISOString();
    this.save(store);
  }

  removeToken(id: string): void {
    const store = this.load();
    delete store.tokens[id];
    this.save(store);
  }

  token(id: string): StoredRecord<SharedTokenFields> | undefined {
    return this.load().tokens[id];
  }

  tokens(): Record<string, StoredRecord<SharedTokenFields>> {
    return this.load().tokens;
  }

  workspaces(): Record<string, StoredRecord<SharedWorkspaceFields>> {
    return this.load().workspaces;
  }

  reminders(): MemberRemovedMark[] {
    return this.load().reminders;
  }

  history(shareId: string, recordId: string): HistoryEntry[] {
    return this.load().states[shareId]?.[recordId]?.history ?? [];
  }

  /** Records, secrets and sync states: what "local state unchanged" compares (not lastError/lastSyncAt). */
  contentSnapshot(): string {
    const s = this.load();
    return JSON.stringify({ workspaces: s.workspaces, tokens: s.tokens, states: s.states, reminders: s.reminders, engines: s.shares.map((x) => x.engine) });
  }
}
