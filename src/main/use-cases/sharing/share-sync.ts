import { AppFailure, isAppFailure } from '../../errors';
import type { DeviceSecrets, PublicIdentity } from './device-identity';
import { GitRepo, type FileWrite, type TreeEntry } from './git-repo';
import { encodeMemberList, memberFromIdentity, memberListVersionOf, MEMBERS_DIR, verifyMemberChain, type Member, type MemberList } from './member-list';
import { decodeRecords, encodeRecords, gitBlobId, recordPath, RECORDS_DIR, type ContentKey, type DecodedRecord, type RecordPayload } from './record-file';
import { mergeRecord, parseVersionState, wholeDigest, type MergeContext, type RemoteSide } from './record-merge';
import { sha256Hex } from './share-signing';
import type { EngineState, RejectedFile, SyncOutcome } from './sharing-types';
import { engineStateSchema } from './sharing-types';
import type { MemberRemovedMark, RecordSyncState, SharedRecordKind, SharedRecordValues, ShareState, SharingPort, SyncBatch, SyncRef } from './sharing-port';
import { acquireSyncLock } from './sync-lock';
import { DeviceClock } from './version-stamp';

/**
 * One sync of one share: fetch, verify, merge, commit, push, and only then apply locally, retrying from the fetch when
 * the push is rejected (someone pushed first) or the local vault changed meanwhile.
 *
 * Why this order is safe against kill -9 at any point:
 * - Before the push lands, nothing outside the private repository changed: the next sync starts over.
 * - After the push lands and before `applySync` commits, the remote holds our merge but the vault still has its old
 *   base. The next sync sees its own stamps in the remote ("written by this device" is never concurrent with a local
 *   edit) and equal values are not conflicts, so it converges to the same state without a false "two secrets".
 * - `applySync` is one transaction (the port's guarantee 1); the engine bookkeeping (last commit, member list, clock)
 *   is in the same transaction, so the vault and the bookkeeping never disagree.
 * - The private repository only gains objects; stale git lock files of a killed git are cleared under our own lock.
 */

export const MARKER_PATH = 'tokenvault-share';
const MAX_ATTEMPTS = 6;
const COMMIT_MESSAGE = 'Token Vault share update';

export type SyncStep = 'locked' | 'fetched' | 'verified' | 'read' | 'merged' | 'committed' | 'pushed' | 'applied';

export interface SyncEnv {
  port: SharingPort;
  device: DeviceSecrets;
  repoDir: (shareId: string) => string;
  lockDir: (shareId: string) => string;
  now: () => Date;
  /** Observes (and may hold up) each step: progress in the window, and the crash and race tests. */
  onStep?: (step: SyncStep, shareId: string) => void | Promise<void>;
}

export type MemberIntent = { kind: 'add'; name: string; identity: PublicIdentity } | { kind: 'remove'; name: string };

export const emptyEngineState = (): EngineState => ({ v: 1, members: null, lastCommit: null, clock: null, founding: null });

export function parseEngineState(json: string): EngineState {
  try {
    const parsed = engineStateSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data as EngineState;
  } catch {
    // fall through
  }
  throw new AppFailure('vault-corrupt', "This share's bookkeeping in the vault is unreadable.");
}

export function markerFile(shareId: string): Buffer {
  return Buffer.from(`${JSON.stringify({ format: 'tokenvault-share', v: 1, shareId })}\n`, 'utf8');
}

export function parseMarker(data: Buffer): string | null {
  try {
    const m = JSON.parse(data.toString('utf8')) as { format?: unknown; shareId?: unknown };
    return m.format === 'tokenvault-share' && typeof m.shareId === 'string' ? m.shareId : null;
  } catch {
    return null;
  }
}

const notMember = () =>
  new AppFailure('share-not-member', 'This device is not a member of that share (or no longer is). Ask a member to add its identity.');

interface Prepared {
  members: MemberList;
  /** Versions this sync learnt of, oldest first. */
  newLists: MemberList[];
  files: FileWrite[];
  rewriteAll: boolean;
}

/** Verifies the member chain of the fetched tree, applies a founding or a member change. */
async function prepareMembers(env: SyncEnv, repo: GitRepo, share: ShareState, engine: EngineState, tree: TreeEntry[], intent: MemberIntent | null): Promise<Prepared> {
  const me = env.device.publicIdentity;
  const files: FileWrite[] = [];
  const memberEntries = tree.filter((e) => e.path.startsWith(MEMBERS_DIR));
  let members: MemberList;
  let newLists: MemberList[] = [];
  let rewriteAll = false;

  if (memberEntries.length === 0) {
    if (tree.length > 0) throw new AppFailure('share-not-empty', 'The remote repository has files that are not a Token Vault share. Use an empty repository.');
    if (engine.lastCommit) throw new AppFailure('share-untrusted', 'The shared repository was emptied (its history is gone). Nothing was changed here; tell the other members.');
    if (!engine.founding || !engine.members) throw new AppFailure('share-untrusted', 'The shared repository is empty: there is nothing to join there yet.');
    members = engine.members;
    files.push({ path: MARKER_PATH, data: markerFile(share.shareId) }, { path: `${MEMBERS_DIR}00000001`, data: Buffer.from(engine.founding, 'base64') });
    rewriteAll = true;
  } else {
    const blobs = await repo.readBlobs(memberEntries.map((e) => e.blob));
    const byVersion = new Map<number, Buffer>();
    for (const e of memberEntries) {
      const v = memberListVersionOf(e.path);
      if (v === null) throw new AppFailure('share-untrusted', `The shared repository's member list was refused: ${e.path} is not a member list file. Nothing was changed here.`);
      byVersion.set(v, blobs.get(e.blob) as Buffer);
    }
    if (engine.founding && !engine.lastCommit) {
      // Our own founding push may have landed before a crash; anything else means someone else's repository.
      const first = byVersion.get(1);
      if (!first || sha256Hex(first) !== sha256Hex(Buffer.from(engine.founding, 'base64')))
        throw new AppFailure('share-not-empty', 'The remote repository is not empty and this device did not create it. Use an empty repository, or join it.');
    }
    const known = engine.founding && !engine.lastCommit ? null : engine.members;
    const chain = verifyMemberChain(byVersion, known, env.device.age);
    members = chain.current;
    newLists = chain.added;
    if (members.shareId !== share.shareId) throw new AppFailure('share-untrusted', 'The shared repository belongs to another share than this one. Nothing was changed here.');
  }
  requireMember(me.deviceId, members);

  if (intent) {
    const myName = members.members.find((m) => m.deviceId === me.deviceId)?.name ?? me.deviceName;
    const at = env.now().toISOString();
    let next: Member[];
    switch (intent.kind) {
      case 'add': {
        if (members.members.some((m) => m.deviceId === intent.identity.deviceId)) throw new AppFailure('already-exists', 'That device is already a member.');
        if (members.members.some((m) => m.name === intent.name)) throw new AppFailure('already-exists', `A member is already called ${intent.name}.`);
        next = [...members.members, memberFromIdentity(intent.identity, intent.name, myName, at)];
        break;
      }
      case 'remove': {
        const gone = members.members.find((m) => m.name === intent.name);
        if (!gone) throw new AppFailure('not-found', `No member is called ${intent.name}.`);
        if (gone.deviceId === me.deviceId) throw new AppFailure('invalid-argument', 'A device cannot remove itself; ask another member to remove it.');
        next = members.members.filter((m) => m.deviceId !== gone.deviceId);
        break;
      }
    }
    const written = encodeMemberList({ shareId: share.shareId, prev: members, team: members.team || share.team, members: next, signer: { deviceId: me.deviceId, key: env.device.signingKey } });
    files.push({ path: `${MEMBERS_DIR}${String(written.list.version).padStart(8, '0')}`, data: written.file });
    newLists = [...newLists, written.list];
    members = written.list;
    rewriteAll = true;
  }
  return { members, newLists, files, rewriteAll };
}

/** The member list verified at the base commit, when the remote has not moved since; this device must be in it. */
function membersAtBase(env: SyncEnv, members: MemberList): Prepared {
  requireMember(env.device.publicIdentity.deviceId, members);
  return { members, newLists: [], files: [], rewriteAll: false };
}

/** A member reads its version's content key; a version it cannot open is one it is not in. */
function requireMember(deviceId: string, members: MemberList): void {
  if (!members.members.some((m) => m.deviceId === deviceId) || members.key === null) throw notMember();
}

/** Names of members removed along a chain of versions (each dropped device, by its name in the version before). */
function removedAlong(start: MemberList | null, lists: readonly MemberList[]): string[] {
  const out: string[] = [];
  let prev = start;
  for (const list of lists) {
    if (prev) {
      const still = new Set(list.members.map((m) => m.deviceId));
      for (const m of prev.members) if (!still.has(m.deviceId)) out.push(m.name);
    }
    prev = list;
  }
  return out;
}

interface SyncPlan {
  outcome: SyncOutcome;
  files: FileWrite[];
  batch: SyncBatch;
}

async function planSync(env: SyncEnv, repo: GitRepo, share: ShareState, tip: string | null, intent: MemberIntent | null, attempts: number): Promise<SyncPlan> {
  const engine = parseEngineState(share.engine);
  const me = env.device.publicIdentity;
  const port = env.port;
  if (engine.lastCommit) {
    if (!tip) throw new AppFailure('share-untrusted', "The shared repository's branch is gone. Nothing was changed here; tell the other members.");
    if (tip !== engine.lastCommit && !(await repo.isAncestor(engine.lastCommit, tip)))
      throw new AppFailure('share-untrusted', "The shared repository's history was rewritten or rolled back. Nothing was changed here; tell the other members.");
  }
  // A full listing when we have no base commit or rewrite everything; otherwise only what changed since our base.
  const full = !engine.lastCommit || Boolean(intent) || !tip;
  // Nothing new on the remote since our base (the usual case for a device pushing a change of its own): the remote's
  // member lists are, byte for byte, the ones verified when that base was synced, so they are not read again.
  const atBase = !intent && tip !== null && tip === engine.lastCommit && engine.members !== null;
  const tree = !tip || atBase ? [] : full ? await repo.listTree(tip) : await repo.listTree(tip, MEMBERS_DIR);
  const prepared = atBase && engine.members ? membersAtBase(env, engine.members) : await prepareMembers(env, repo, share, engine, tree, intent);
  await env.onStep?.('verified', share.shareId);
  const { members } = prepared;
  const rewriteAll = prepared.rewriteAll;
  const nameOf = new Map(members.members.map((m) => [m.deviceId, m.name]));
  for (const l of [engine.members, ...prepared.newLists]) for (const m of l?.members ?? []) if (!nameOf.has(m.deviceId)) nameOf.set(m.deviceId, m.name);
  const signingKeys = new Map(members.members.map((m) => [m.deviceId, m.signingKey]));
  const contentKey: ContentKey = { version: members.version, key: Buffer.from(members.key as string, 'base64') };
  const files: FileWrite[] = [...prepared.files];
  const rejected: RejectedFile[] = [];

  // ---- what the remote holds now, and what changed there since our base
  const refs = new Map<string, SyncRef>();
  const idByPath = new Map<string, string>();
  for (const r of port.listSyncRefs(share.shareId)) {
    refs.set(r.recordId, r);
    idByPath.set(recordPath(share.shareId, r.recordId), r.recordId);
  }
  /** The blob at a record path in the fetched tree (null: no such file), as far as this sync needs to know. */
  const remoteBlob = new Map<string, string | null>();
  const changed: TreeEntry[] = [];
  const consider = (path: string, blob: string | null) => {
    if (path === MARKER_PATH || path.startsWith(MEMBERS_DIR)) return;
    remoteBlob.set(path, blob);
    if (blob === null) return;
    if (!path.startsWith(RECORDS_DIR)) {
      rejected.push({ path, reason: 'unexpected-file' });
      files.push({ path, data: null });
      return;
    }
    const id = idByPath.get(path);
    if (!id || refs.get(id)?.blob !== blob) changed.push({ path, blob });
  };
  if (full) {
    for (const e of tree) consider(e.path, e.blob);
    for (const path of idByPath.keys()) if (!remoteBlob.has(path)) remoteBlob.set(path, null);
  } else if (tip && engine.lastCommit && tip !== engine.lastCommit) {
    for (const c of await repo.diffTree(engine.lastCommit, tip)) consider(c.path, c.blob);
  }
  const blobAt = (path: string): string | null => (remoteBlob.has(path) ? (remoteBlob.get(path) ?? null) : (refs.get(idByPath.get(path) ?? '')?.blob ?? null));

  const blobs = await repo.readBlobs(changed.map((e) => e.blob as string));
  const remote = new Map<string, RecordPayload>();
  const refused = new Set<string>();
  const decodedAll = await decodeRecords(share.shareId, changed.map((e) => ({ path: e.path, file: blobs.get(e.blob as string) as Buffer })), signingKeys, contentKey);
  for (const [i, e] of changed.entries()) {
    const decoded = decodedAll[i] as DecodedRecord;
    if (decoded.ok) remote.set(decoded.payload.id, decoded.payload);
    else {
      rejected.push({ path: e.path, reason: decoded.reason });
      const id = idByPath.get(e.path);
      if (id) refused.add(id);
      else files.push({ path: e.path, data: null }); // a file nobody valid wrote: heal the repository
    }
  }

  // ---- the local side: clear refs of every record, values only of what must be merged
  const workspaceIds = new Set(share.workspaceIds);
  for (const p of remote.values()) if (p.kind === 'workspace' && !p.deleted.v) workspaceIds.add(p.id);
  for (const r of refs.values()) if (r.kind === 'workspace' && !r.deleted) workspaceIds.add(r.recordId);
  const localRefs = new Map(port.listRecords([...workspaceIds]).map((r) => [r.id, r]));

  const ids = new Set<string>([...remote.keys(), ...refused]);
  const revisionChanged: string[] = [];
  for (const [id, ref] of refs) {
    const l = localRefs.get(id);
    const path = recordPath(share.shareId, id);
    if (rewriteAll) ids.add(id);
    else if (tip && blobAt(path) === null) ids.add(id); // missing remotely: the host dropped it, or our push never landed
    else if (!l ? !ref.deleted : ref.deleted) ids.add(id);
    else if (l && l.revision !== ref.revision) revisionChanged.push(id);
  }
  for (const id of localRefs.keys()) if (!refs.has(id)) ids.add(id);

  const states = new Map(port.readSyncStates(share.shareId, [...ids, ...revisionChanged]).map((s) => [s.recordId, s]));
  const local = new Map(port.readRecords([...ids, ...revisionChanged]).map((r) => [r.id, r]));
  await env.onStep?.('read', share.shareId);

  const batch: SyncBatch = { expectShare: share.engine, share, expect: [], put: [], remove: [], states: { put: [], drop: [] }, reminders: [] };
  // Another revision is not always another value (a write that changed nothing shared): compare digests, and
  // remember the new revision so the next sync does not look again.
  for (const id of revisionChanged) {
    const s = states.get(id);
    const l = local.get(id);
    const v = s ? parseVersionState(s.versions) : null;
    if (!s || !l || !v) ids.add(id);
    else if (wholeDigest(env.device.digestKey, l) !== v.whole) ids.add(id);
    else batch.states.put.push({ ...s, revision: l.revision });
  }

  const clock = new DeviceClock(me.deviceId, engine.clock);
  const ctx: MergeContext = { me: me.deviceId, clock, digestKey: env.device.digestKey, now: env.now().getTime(), memberName: (d) => nameOf.get(d) ?? d };
  let pushed = 0;
  let pulled = 0;
  let rolledBack = 0;
  const puts: SharedRecordValues[] = [];
  const removes: { kind: SharedRecordKind; id: string }[] = [];
  const liveTokens = new Set<string>();
  for (const [id, l] of localRefs) if (l.kind === 'token') liveTokens.add(id);
  const conflicts = new Set<string>();
  for (const [id, l] of localRefs) if (l.secretConflict) conflicts.add(id);
  /** Record files to write, encrypted and signed as one batch after the merge (index into batch.states.put). */
  const writes: { path: string; payload: RecordPayload; state: number }[] = [];

  // Local edits are stamped in the order they were made: the device clock never goes back, so an edit stamped after a
  // later edit of another record would be lifted past it and beat a concurrent edit made after it on another device.
  const editedAt = (id: string) => {
    const at = local.get(id)?.updatedAt;
    return at === undefined ? ctx.now : Date.parse(at) || ctx.now;
  };
  for (const id of [...ids].sort((x, y) => editedAt(x) - editedAt(y))) {
    const payload = remote.get(id);
    const s = states.get(id);
    const v = s ? parseVersionState(s.versions) : null;
    const l = local.get(id) ?? null;
    const kind: SharedRecordKind | undefined = l?.kind ?? payload?.kind ?? s?.kind;
    if (!kind) continue;
    const path = recordPath(share.shareId, id);
    const side: RemoteSide = payload ? { kind: 'payload', payload } : refused.has(id) || blobAt(path) === null ? { kind: 'absent' } : { kind: 'same' };
    if (!l && !v && side.kind !== 'payload') continue;
    const result = mergeRecord(ctx, { id, kind, local: l, base: s && v ? { state: v, history: s.history } : null, remote: side });
    if (result.invalid) {
      rejected.push({ path, reason: 'bad-payload' });
      continue;
    }
    const blob = blobAt(path);
    if (rewriteAll || result.repoChanged) {
      writes.push({ path, payload: result.payload, state: batch.states.put.length });
      pushed++;
    }
    if (result.local) {
      pulled++;
      batch.expect.push({ id, revision: l?.revision ?? null });
      if ('put' in result.local) puts.push(result.local.put);
      else removes.push({ kind, id });
    }
    if (kind === 'token') {
      if (result.payload.deleted.v) liveTokens.delete(id);
      else liveTokens.add(id);
    }
    if (result.conflict && !result.payload.deleted.v) conflicts.add(id);
    else conflicts.delete(id);
    if (result.rolledBack) rolledBack++;
    batch.states.put.push({
      recordId: id,
      kind,
      revision: l?.revision ?? null,
      blob,
      deleted: result.payload.deleted.v,
      versions: JSON.stringify(result.state),
      history: result.history,
    });
  }
  const encoded = await encodeRecords(share.shareId, writes, { deviceId: me.deviceId, key: env.device.signingKey }, contentKey);
  for (const [i, w] of writes.entries()) {
    const data = encoded[i] as Buffer;
    files.push({ path: w.path, data });
    (batch.states.put[w.state] as RecordSyncState).blob = gitBlobId(data);
  }
  await env.onStep?.('merged', share.shareId);

  // Workspaces before tokens on put, tokens before workspaces on remove (the port's guarantee 2).
  batch.put = [...puts.filter((p) => p.kind === 'workspace'), ...puts.filter((p) => p.kind === 'token')];
  batch.remove = [...removes.filter((r) => r.kind === 'token'), ...removes.filter((r) => r.kind === 'workspace')];
  for (const p of batch.put) if (p.kind === 'workspace') workspaceIds.add(p.id);
  for (const r of batch.remove) if (r.kind === 'workspace') workspaceIds.delete(r.id);

  // "Member removed": every token the removed member could read gets a rotation reminder, here and on every device.
  const membersRemoved = removedAlong(engine.founding && !engine.lastCommit ? null : engine.members, prepared.newLists);
  const at = env.now().toISOString();
  const reminders: MemberRemovedMark[] = membersRemoved.flatMap((member) => [...liveTokens].map((tokenId) => ({ tokenId, member, at })));
  batch.reminders = reminders;

  const lastSyncAt = env.now().toISOString();
  const nextEngine: EngineState = { v: 1, members, lastCommit: tip, clock: clock.lastIssued ?? engine.clock, founding: null };
  batch.share = { ...share, workspaceIds: [...workspaceIds], lastSyncAt, lastError: null, engine: JSON.stringify(nextEngine) };

  return {
    files,
    batch,
    outcome: {
      team: share.team,
      shareId: share.shareId,
      commit: tip,
      pushed,
      pulled,
      conflicts: conflicts.size,
      rejected,
      rolledBack,
      membersRemoved,
      remindersRaised: reminders.length,
      attempts,
      lastSyncAt,
    },
  };
}

/** Runs one sync of one share (with an optional member change), retrying as described above. */
export async function syncShare(env: SyncEnv, shareId: string, intent: MemberIntent | null = null): Promise<SyncOutcome> {
  const lock = acquireSyncLock(env.lockDir(shareId));
  try {
    await env.onStep?.('locked', shareId);
    const first = env.port.listShares().find((s) => s.shareId === shareId);
    if (!first) throw new AppFailure('not-found', 'That share is not set up on this device.');
    const repo = new GitRepo(env.repoDir(shareId));
    repo.clearStaleLocks();
    await repo.ensure(first.remote);
    let lockedBy: string | null = null;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const share = env.port.listShares().find((s) => s.shareId === shareId);
      if (!share) throw new AppFailure('not-found', 'That share is not set up on this device.');
      const tip = await repo.fetch();
      await env.onStep?.('fetched', shareId);
      const plan = await planSync(env, repo, share, tip, intent, attempt);
      let commit = tip;
      if (plan.files.length > 0) {
        commit = await repo.writeCommit(tip, plan.files, COMMIT_MESSAGE, env.now());
        await env.onStep?.('committed', shareId);
        const pushed = await repo.push(commit);
        if (pushed !== 'ok') {
          // A lock left in the remote's way is removed once stale; one that stays is named if the attempts run out.
          const { locked } = pushed;
          lockedBy = locked !== null && !(await repo.clearStaleRemoteLock(locked, share.remote)) ? locked : null;
          continue;
        }
        lockedBy = null;
        await env.onStep?.('pushed', shareId);
      }
      const engine = parseEngineState(plan.batch.share.engine);
      plan.batch.share.engine = JSON.stringify({ ...engine, lastCommit: commit });
      try {
        env.port.applySync(shareId, plan.batch);
      } catch (error) {
        if (isAppFailure(error) && error.code === 'share-local-changed') continue;
        throw error;
      }
      await env.onStep?.('applied', shareId);
      return { ...plan.outcome, commit };
    }
    if (lockedBy !== null)
      throw new AppFailure('share-push-rejected', `The shared repository's branch stayed locked by another git process (${lockedBy.slice(0, 300)}). If no device is syncing this share now, a git that stopped midway left it: remove that file, then sync again.`);
    throw new AppFailure('share-push-rejected', 'The shared repository kept changing while this device synced. Try again in a moment.');
  } catch (error) {
    recordError(env.port, shareId, error);
    throw error;
  } finally {
    lock.release();
  }
}

/** Notes the failure on the share (bookkeeping only: no record changes). Never hides the original error. */
function recordError(port: SharingPort, shareId: string, error: unknown): void {
  try {
    const share = port.listShares().find((s) => s.shareId === shareId);
    if (!share) return;
    const lastError = isAppFailure(error) ? { code: error.code, message: error.message } : { code: 'internal', message: 'The sync failed unexpectedly.' };
    port.saveShare({ ...share, lastError }, share.engine);
  } catch {
    // the original error is what the caller needs
  }
}
