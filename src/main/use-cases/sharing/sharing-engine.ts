import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppFailure } from '../../errors';
import { formatIdentity, generateDeviceKeys, openDeviceKeys, parseIdentity, type DeviceSecrets } from './device-identity';
import { GitRepo, checkRemoteUrl } from './git-repo';
import { encodeMemberList, memberListVersionOf, MEMBERS_DIR, verifyMemberChain, type MemberList } from './member-list';
import { parseVersionState, wholeDigest } from './record-merge';
import { emptyEngineState, MARKER_PATH, parseEngineState, parseMarker, syncShare, type MemberIntent, type SyncEnv, type SyncStep } from './share-sync';
import type { HistoryEntry, ShareState, SharingPort } from './sharing-port';
import type { SyncAllResult } from '../../../shared/ipc/share-channels';
import type { IdentityView, MemberChangeOutcome, MembersView, ShareStatus, SyncOutcome } from './sharing-types';
import { valueDigest } from './version-stamp';

export interface SharingEngineOptions {
  port: SharingPort;
  /** A private folder of the vault's user data (created 0700): one bare git repository per share lives here. */
  dataDir: string;
  /** The name this device gives itself in its identity line (default: the host name). */
  deviceName?: string;
  now?: () => Date;
  /** Observes each step of a sync (progress in the window; the crash tests stop the process at a chosen step). */
  onStep?: (step: SyncStep, shareId: string) => void | Promise<void>;
  /** The teams whose sync runs now in this engine changed (a sync started or ended): the window's "busy". Never throws. */
  onBusy?: (teams: string[]) => void;
}

export type { SyncAllResult } from '../../../shared/ipc/share-channels';

/**
 * End-to-end encrypted sharing of workspaces and their tokens over git. Each method is what one `share ...` command
 * or one control of the Sharing pane does, and returns a structured result; see sharing-types.ts.
 */
export class SharingEngine {
  private readonly port: SharingPort;
  private readonly dataDir: string;
  private readonly now: () => Date;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** shareId -> syncs queued or running for it. */
  private readonly running = new Map<string, number>();

  constructor(private readonly options: SharingEngineOptions) {
    this.port = options.port;
    this.dataDir = options.dataDir;
    this.now = options.now ?? (() => new Date());
  }

  // ---------------------------------------------------------------- identity

  /** This device's public identity; the key pairs are made (and sealed in the vault) the first time. */
  identity(): IdentityView {
    const id = this.device().publicIdentity;
    return { identity: formatIdentity(id), deviceId: id.deviceId, deviceName: id.deviceName };
  }

  private device(): DeviceSecrets {
    const keys = this.port.readDeviceKeys() ?? this.port.createDeviceKeys(generateDeviceKeys(this.options.deviceName ?? hostname(), this.now()));
    return openDeviceKeys(keys);
  }

  private existingDevice(): DeviceSecrets {
    const keys = this.port.readDeviceKeys();
    if (!keys) throw new AppFailure('share-not-member', 'This device has no sharing identity yet: show it, have a member add it, then join.');
    return openDeviceKeys(keys);
  }

  // ---------------------------------------------------------------- shares

  /** Founds a share in an empty repository with these workspaces, and pushes them. */
  async init(input: { remote: string; team: string; workspaceIds: string[] }): Promise<SyncOutcome> {
    const remote = checkRemoteUrl(input.remote);
    const team = input.team.trim();
    if (!team || team.length > 200) throw new AppFailure('invalid-argument', 'A team name is 1 to 200 characters.');
    const shares = this.port.listShares();
    // A founding that a crash interrupted resumes instead of starting a second share.
    const pending = shares.find((s) => s.remote === remote && s.team === team && parseEngineState(s.engine).founding !== null);
    if (pending) return this.sync(team);
    if (shares.some((s) => s.team === team)) throw new AppFailure('already-exists', `A share called ${team} already exists here.`);
    this.checkWorkspacesFree(input.workspaceIds, shares);
    const device = this.device();
    const shareId = randomUUID();
    const repo = new GitRepo(this.repoDir(shareId));
    try {
      await repo.ensure(remote);
      if ((await repo.remoteRefs()).length > 0)
        throw new AppFailure('share-not-empty', 'The remote repository is not empty and this device did not create it. Use an empty repository, or join it.');
    } catch (error) {
      rmSync(this.shareDir(shareId), { recursive: true, force: true });
      throw error;
    }
    const me = device.publicIdentity;
    const at = this.now().toISOString();
    const founding = encodeMemberList({
      shareId,
      prev: null,
      team,
      members: [{ deviceId: me.deviceId, name: me.deviceName, deviceName: me.deviceName, recipient: me.recipient, signingKey: me.signingKey, addedAt: at, addedBy: me.deviceName }],
      signer: { deviceId: me.deviceId, key: device.signingKey },
    });
    const engine = { ...emptyEngineState(), members: founding.list, founding: founding.file.toString('base64') };
    this.port.saveShare({ shareId, team, remote, workspaceIds: [...new Set(input.workspaceIds)], lastSyncAt: null, lastError: null, engine: JSON.stringify(engine) }, null);
    try {
      return await this.runSync(shareId, null, device);
    } catch (error) {
      // Someone else's repository after all (it filled up meanwhile): forget the share that never existed.
      if (error instanceof AppFailure && error.code === 'share-not-empty') {
        this.port.removeShare(shareId);
        rmSync(this.shareDir(shareId), { recursive: true, force: true });
      }
      throw error;
    }
  }

  /** Joins the share at this remote, once a member has added this device's identity. */
  async join(input: { remote: string }): Promise<SyncOutcome> {
    const remote = checkRemoteUrl(input.remote);
    const device = this.existingDevice();
    const staging = join(this.dataDir, `join-${randomBytes(8).toString('hex')}`);
    let shareId: string;
    let list: MemberList;
    try {
      const repo = new GitRepo(join(staging, 'repo.git'));
      await repo.ensure(remote);
      const tip = await repo.fetch();
      if (!tip) throw new AppFailure('not-found', 'There is no share in that repository yet.');
      const tree = await repo.listTree(tip);
      const marker = tree.find((e) => e.path === MARKER_PATH);
      const memberEntries = tree.filter((e) => e.path.startsWith(MEMBERS_DIR));
      if (!marker || memberEntries.length === 0) throw new AppFailure('share-not-empty', 'That repository is not a Token Vault share.');
      const blobs = await repo.readBlobs([marker.blob, ...memberEntries.map((e) => e.blob)]);
      const markerId = parseMarker(blobs.get(marker.blob) as Buffer);
      const files = new Map<number, Buffer>();
      for (const e of memberEntries) {
        const v = memberListVersionOf(e.path);
        if (v !== null) files.set(v, blobs.get(e.blob) as Buffer);
      }
      list = verifyMemberChain(files, null, device.age).current;
      if (!markerId || markerId !== list.shareId) throw new AppFailure('share-untrusted', "The share's marker and its member list disagree. Nothing was changed here.");
      if (!list.members.some((m) => m.deviceId === device.publicIdentity.deviceId))
        throw new AppFailure('share-not-member', 'This device is not a member of that share yet. Ask a member to add its identity, then join again.');
      shareId = list.shareId;
      const existing = this.port.listShares().find((s) => s.shareId === shareId);
      if (existing) throw new AppFailure('already-exists', `This device is already in that share (${existing.team}).`);
      rmSync(this.shareDir(shareId), { recursive: true, force: true });
      mkdirSync(this.shareDir(shareId), { recursive: true, mode: 0o700 });
      renameSync(join(staging, 'repo.git'), this.repoDir(shareId));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    const team = this.port.listShares().some((s) => s.team === list.team) ? `${list.team}-${shareId.slice(0, 8)}` : list.team || shareId.slice(0, 8);
    this.port.saveShare({ shareId, team, remote, workspaceIds: [], lastSyncAt: null, lastError: null, engine: JSON.stringify(emptyEngineState()) }, null);
    return this.runSync(shareId, null, device);
  }

  /** Adds a member (they read every record from then on: everything is re-encrypted for them). */
  async addMember(team: string, name: string, identityLine: string): Promise<MemberChangeOutcome> {
    const memberName = name.trim();
    if (!/^[^\s:][^:\n]{0,99}$/.test(memberName)) throw new AppFailure('invalid-argument', 'A member name is 1 to 100 characters, without ":" or line breaks.');
    const identity = parseIdentity(identityLine);
    const share = this.shareByTeam(team);
    return { member: memberName, sync: await this.runSync(share.shareId, { kind: 'add', name: memberName, identity }) };
  }

  /**
   * Removes a member: every record is re-encrypted for the others only, and every token the member could read gets a
   * "member removed" rotation reminder here and on every other member's device.
   */
  async removeMember(team: string, name: string): Promise<MemberChangeOutcome> {
    const share = this.shareByTeam(team);
    return { member: name, sync: await this.runSync(share.shareId, { kind: 'remove', name: name.trim() }) };
  }

  /** The verified member list as of the last sync. */
  members(team?: string): MembersView[] {
    const me = this.port.readDeviceKeys()?.deviceId;
    return this.selectShares(team).map((share) => {
      const list = parseEngineState(share.engine).members;
      return {
        team: share.team,
        shareId: share.shareId,
        version: list?.version ?? 0,
        members: (list?.members ?? []).map((m) => ({
          name: m.name,
          deviceId: m.deviceId,
          deviceName: m.deviceName,
          identity: formatIdentity({ deviceId: m.deviceId, deviceName: m.deviceName, recipient: m.recipient, signingKey: m.signingKey }),
          addedAt: m.addedAt,
          addedBy: m.addedBy,
          you: m.deviceId === me,
        })),
      };
    });
  }

  /** Puts one more workspace (and its tokens) into a share, then syncs. */
  async addWorkspace(team: string, workspaceId: string): Promise<SyncOutcome> {
    const share = this.shareByTeam(team);
    const shares = this.port.listShares();
    if (!share.workspaceIds.includes(workspaceId)) {
      this.checkWorkspacesFree([workspaceId], shares);
      this.port.saveShare({ ...share, workspaceIds: [...share.workspaceIds, workspaceId] }, share.engine);
    }
    return this.runSync(share.shareId, null);
  }

  /** Syncs one share (errors thrown), or every share (each one's result or error). */
  async sync(team: string): Promise<SyncOutcome>;
  async sync(): Promise<SyncAllResult[]>;
  async sync(team?: string): Promise<SyncOutcome | SyncAllResult[]> {
    if (team !== undefined) return this.runSync(this.shareByTeam(team).shareId, null);
    const results: SyncAllResult[] = [];
    for (const share of this.port.listShares()) {
      try {
        results.push({ team: share.team, ok: true, outcome: await this.runSync(share.shareId, null) });
      } catch (error) {
        const e = error instanceof AppFailure ? { code: error.code, message: error.message } : { code: 'internal', message: 'The sync failed unexpectedly.' };
        results.push({ team: share.team, ok: false, error: e });
      }
    }
    return results;
  }

  /** Ahead / behind / conflicts / last sync of each share (`fetch` asks the remote first). */
  async status(options: { team?: string; fetch?: boolean } = {}): Promise<ShareStatus[]> {
    const keys = this.port.readDeviceKeys();
    const device = keys ? openDeviceKeys(keys) : null;
    const out: ShareStatus[] = [];
    for (const share of this.selectShares(options.team)) {
      const engine = parseEngineState(share.engine);
      const refs = new Map(this.port.listSyncRefs(share.shareId).map((r) => [r.recordId, r]));
      const localRefs = this.port.listRecords(share.workspaceIds);
      let conflicts = 0;
      const seen = new Set<string>();
      const maybeChanged: string[] = [];
      let ahead = 0;
      for (const r of localRefs) {
        seen.add(r.id);
        if (r.secretConflict) conflicts++;
        const ref = refs.get(r.id);
        if (!ref || ref.deleted || !device) ahead++;
        else if (ref.revision !== r.revision) maybeChanged.push(r.id);
      }
      for (const [id, ref] of refs) if (!ref.deleted && !seen.has(id)) ahead++;
      if (device && maybeChanged.length > 0) {
        const states = new Map(this.port.readSyncStates(share.shareId, maybeChanged).map((s) => [s.recordId, parseVersionState(s.versions)]));
        for (const r of this.port.readRecords(maybeChanged)) if (wholeDigest(device.digestKey, r) !== states.get(r.id)?.whole) ahead++;
      }
      let behind = 0;
      const repo = new GitRepo(this.repoDir(share.shareId));
      if (existsSync(this.repoDir(share.shareId))) {
        try {
          const tip = options.fetch ? await repo.fetch() : await repo.resolve('refs/remotes/origin/main');
          if (tip && engine.lastCommit && tip !== engine.lastCommit) behind = await repo.countCommits(`${engine.lastCommit}..${tip}`);
          else if (tip && !engine.lastCommit) behind = await repo.countCommits(tip);
        } catch (error) {
          if (!(error instanceof AppFailure)) throw error;
          out.push(this.statusOf(share, engine.members, ahead, 0, conflicts, { code: error.code, message: error.message }));
          continue;
        }
      }
      out.push(this.statusOf(share, engine.members, ahead, behind, conflicts, share.lastError));
    }
    return out;
  }

  /**
   * The user picks one of a record's secrets. The pick is a local edit: the next sync publishes it (and it wins over
   * the candidates it was made from); the candidates not picked stay in the record's history.
   */
  pickSecret(recordId: string, index: number): void {
    const device = this.existingDevice();
    for (const share of this.port.listShares()) {
      if (!this.port.listRecords(share.workspaceIds).some((r) => r.id === recordId)) continue;
      const record = this.port.readRecords([recordId])[0];
      if (!record) continue;
      const candidates = record.secretConflict;
      if (!candidates) throw new AppFailure('invalid-argument', 'That record has one secret: there is nothing to pick.');
      const chosen = candidates[index];
      if (!chosen) throw new AppFailure('invalid-argument', `Pick a number from 1 to ${candidates.length}.`);
      const state = parseVersionState(this.port.readSyncStates(share.shareId, [recordId])[0]?.versions ?? '');
      const stampOf = (secret: string) => state?.secret.find(([, d]) => d === valueDigest(device.digestKey, secret))?.[0];
      const history: HistoryEntry[] = candidates
        .filter((c, i) => i !== index && c.secret !== chosen.secret)
        .map((c) => ({ field: 'secret', value: c.secret, at: c.setAt, by: c.setBy, stamp: stampOf(c.secret) ?? '' }))
        .filter((h) => h.stamp !== '');
      this.port.resolveSecretConflict(share.shareId, recordId, chosen.secret, record.revision, history);
      return;
    }
    throw new AppFailure('not-found', 'That record is not in any share on this device.');
  }

  // ---------------------------------------------------------------- internals

  private statusOf(share: ShareState, members: MemberList | null, ahead: number, behind: number, conflicts: number, lastError: ShareState['lastError']): ShareStatus {
    return {
      team: share.team,
      shareId: share.shareId,
      remote: share.remote.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@'),
      members: members?.members.length ?? 0,
      workspaces: share.workspaceIds.length,
      ahead,
      behind,
      conflicts,
      lastSyncAt: share.lastSyncAt,
      lastError,
    };
  }

  private shareDir(shareId: string): string {
    return join(this.dataDir, shareId);
  }

  private repoDir(shareId: string): string {
    return join(this.shareDir(shareId), 'repo.git');
  }

  private selectShares(team?: string): ShareState[] {
    return team === undefined ? this.port.listShares() : [this.shareByTeam(team)];
  }

  private shareByTeam(team: string): ShareState {
    const share = this.port.listShares().find((s) => s.team === team);
    if (!share) throw new AppFailure('not-found', `No share called ${team} on this device.`);
    return share;
  }

  private checkWorkspacesFree(workspaceIds: readonly string[], shares: readonly ShareState[]): void {
    for (const id of workspaceIds) {
      const other = shares.find((s) => s.workspaceIds.includes(id));
      if (other) throw new AppFailure('already-exists', `That workspace is already shared in ${other.team}.`);
    }
    const found = new Set(this.port.listRecords(workspaceIds).filter((r) => r.kind === 'workspace').map((r) => r.id));
    for (const id of workspaceIds) if (!found.has(id)) throw new AppFailure('not-found', 'That workspace was not found in the vault.');
  }

  /** One sync per share at a time in this process; the lock file covers other processes. */
  private runSync(shareId: string, intent: MemberIntent | null, device?: DeviceSecrets): Promise<SyncOutcome> {
    const env: SyncEnv = {
      port: this.port,
      device: device ?? this.existingDevice(),
      repoDir: (id) => this.repoDir(id),
      lockDir: (id) => this.shareDir(id),
      now: this.now,
      onStep: this.options.onStep,
    };
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const previous = this.queues.get(shareId) ?? Promise.resolve();
    this.markBusy(shareId, 1);
    const run = previous
      .catch(() => undefined)
      .then(() => syncShare(env, shareId, intent))
      .finally(() => this.markBusy(shareId, -1));
    this.queues.set(shareId, run);
    return run;
  }

  /** The teams whose sync is queued or running in this engine now. */
  busyTeams(): string[] {
    if (this.running.size === 0) return [];
    return this.port
      .listShares()
      .filter((s) => this.running.has(s.shareId))
      .map((s) => s.team);
  }

  private markBusy(shareId: string, delta: 1 | -1): void {
    const n = (this.running.get(shareId) ?? 0) + delta;
    if (n > 0) this.running.set(shareId, n);
    else this.running.delete(shareId);
    if (!this.options.onBusy) return;
    try {
      this.options.onBusy(this.busyTeams());
    } catch {
      // The window's busy mark is a courtesy: a locked vault (listShares refuses) or a closed window changes no sync.
    }
  }
}
