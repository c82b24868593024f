import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { absentRow, authTable, checkedRows, dropRow, sealRow } from '../db/row-auth';
import { notFound, policyOf, type VaultCore } from '../db/vault-core';
import type { CredentialHold, NewWorkspace, SyncError, Workspace, WorkspacePatch } from '../db/vault-types';

/** The sealed part of a workspace row: everything that names or locates the service. */
export interface WorkspaceFields {
  name: string;
  baseUrl: string | null;
  username: string | null;
  tokenPageUrl: string | null;
  syncErrorMessage: string | null;
  /** See Workspace.credentialHold (absent in rows written before it existed: no hold). */
  credentialHold?: CredentialHold | null;
}

/** Workspaces are authenticated row by row (db/row-auth.ts). */
export const WORKSPACES = authTable('workspaces', 'workspace', [
  'id', 'kind', 'fields', 'admin_credential', 'provider_session', 'rotate_every_days', 'rotation_basis', 'created_at',
  'updated_at', 'last_sync_at', 'last_sync_error_code', 'rev',
]);

interface WorkspaceRow {
  id: string;
  kind: Workspace['kind'];
  fields: Buffer;
  admin_credential: Buffer | null;
  provider_session: Buffer | null;
  rotate_every_days: number | null;
  rotation_basis: string | null;
  created_at: string;
  updated_at: string;
  last_sync_at: string | null;
  last_sync_error_code: string | null;
}

const sealField = (key: Buffer, id: string, field: 'fields' | 'admin_credential' | 'provider_session', text: string) => sealText(key, text, aad('workspaces', id, field));
const openField = (key: Buffer, id: string, field: 'fields' | 'admin_credential' | 'provider_session', blob: Buffer) =>
  openText(key, blob, aad('workspaces', id, field), `The ${field === 'fields' ? 'names' : 'credential'} of workspace ${id}`);
const openWorkspaceFields = (key: Buffer, id: string, blob: Buffer): WorkspaceFields => JSON.parse(openField(key, id, 'fields', blob)) as WorkspaceFields;

/** One workspace row, checked; not-found (or tampering, when the manifest knows it). */
function checkedRow(core: VaultCore, id: string): WorkspaceRow {
  const row = checkedRows<WorkspaceRow>(core, WORKSPACES, 'id = ?', [id])[0];
  if (!row) throw absentRow(core, WORKSPACES, id, () => notFound('The workspace'));
  return row;
}

/** Every workspace, checked and decrypted once, kept until another connection commits (PRAGMA data_version). */
export function freshWorkspaces(core: VaultCore): Map<string, Workspace> {
  const key = core.key();
  const version = core.dataVersion();
  if (core.wsCache && core.wsCache.version === version) return core.wsCache.workspaces;
  const workspaces = new Map<string, Workspace>();
  for (const row of checkedRows<WorkspaceRow>(core, WORKSPACES, '', [], { whole: true })) workspaces.set(row.id, workspaceOf(key, row));
  core.wsCache = { workspaces, version };
  return workspaces;
}

/**
 * Inside a write: a new workspace row, sealed and authenticated. Returns its id. `id`: a workspace that arrives from a
 * share keeps the id it has on every member's device.
 */
export function insertWorkspaceRow(core: VaultCore, input: NewWorkspace, now: string, id: string = randomUUID()): string {
  const key = core.key();
  const fields: WorkspaceFields = { name: input.name, baseUrl: input.baseUrl ?? null, username: input.username ?? null, tokenPageUrl: input.tokenPageUrl ?? null, syncErrorMessage: null };
  core
    .prepared(`INSERT INTO workspaces (id, kind, fields, admin_credential, rotate_every_days, rotation_basis, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(
      id,
      input.kind,
      sealField(key, id, 'fields', JSON.stringify(fields)),
      input.adminCredential ? sealField(key, id, 'admin_credential', input.adminCredential) : null,
      input.rotationPolicy?.rotateEveryDays ?? null,
      input.rotationPolicy?.basis ?? null,
      now,
      now,
    );
  sealRow(core, WORKSPACES, id);
  return id;
}

/** `id`: a workspace that arrives from a share keeps the id it has on every member's device. */
export function createWorkspace(core: VaultCore, input: NewWorkspace, id?: string): Workspace {
  core.key();
  const created = core.write(() => insertWorkspaceRow(core, input, new Date().toISOString(), id));
  return reloadWorkspace(core, created);
}

/** An exact name first, else the first case-insensitive match. */
export function findWorkspaceByName(core: VaultCore, name: string): Workspace | undefined {
  const lower = name.toLowerCase();
  let loose: Workspace | undefined;
  for (const ws of freshWorkspaces(core).values()) {
    if (ws.name === name) return ws;
    if (ws.name.toLowerCase() === lower) loose ??= ws;
  }
  return loose;
}

/** The scheme, host and port a workspace URL sends to (its #options fragment and path do not count). */
export function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Patches a workspace. Two rules hold here, below every caller, so no path can break them: an address at another
 * origin drops the admin credential unless the same patch brings a new one (a stored credential never follows the
 * workspace to a host it was not given for), and the provider login goes whenever the address, the user or the
 * credential changes (it was made with those).
 */
export function updateWorkspace(core: VaultCore, id: string, patch: WorkspacePatch): Workspace {
  const key = core.key();
  core.write(() => {
    const row = checkedRow(core, id);
    const fields = openWorkspaceFields(key, id, row.fields);
    const moved = patch.baseUrl !== undefined && originOf(patch.baseUrl) !== originOf(fields.baseUrl);
    const credential = patch.adminCredential !== undefined ? patch.adminCredential : moved ? null : undefined;
    // A hold lasts until the credential is written again (entered for this address, or dropped by a move).
    if (patch.credentialHold !== undefined) fields.credentialHold = patch.credentialHold;
    else if (credential !== undefined) fields.credentialHold = null;
    const dropLogin = credential !== undefined || patch.username !== undefined || (patch.baseUrl !== undefined && patch.baseUrl !== fields.baseUrl);
    if (patch.name !== undefined) fields.name = patch.name;
    if (patch.baseUrl !== undefined) fields.baseUrl = patch.baseUrl;
    if (patch.username !== undefined) fields.username = patch.username;
    if (patch.tokenPageUrl !== undefined) fields.tokenPageUrl = patch.tokenPageUrl;
    if (patch.lastSyncError !== undefined) fields.syncErrorMessage = patch.lastSyncError?.message ?? null;
    const sets: string[] = ['fields = ?', 'updated_at = ?'];
    const args: unknown[] = [sealField(key, id, 'fields', JSON.stringify(fields)), new Date().toISOString()];
    if (patch.rotationPolicy !== undefined) {
      sets.push('rotate_every_days = ?', 'rotation_basis = ?');
      args.push(patch.rotationPolicy?.rotateEveryDays ?? null, patch.rotationPolicy?.basis ?? null);
    }
    if (patch.lastSyncAt !== undefined) {
      sets.push('last_sync_at = ?');
      args.push(patch.lastSyncAt);
    }
    if (patch.lastSyncError !== undefined) {
      sets.push('last_sync_error_code = ?');
      args.push(patch.lastSyncError?.code ?? null);
    }
    if (credential !== undefined) {
      sets.push('admin_credential = ?');
      args.push(credential ? sealField(key, id, 'admin_credential', credential) : null);
    }
    if (dropLogin) sets.push('provider_session = NULL');
    core.db.prepare(`UPDATE workspaces SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    sealRow(core, WORKSPACES, id);
  });
  // Every token view shows its workspace's name.
  if (patch.name !== undefined) core.touchAll();
  return reloadWorkspace(core, id);
}

/**
 * Refuses while tokens remain, unless `withTokens`: then each goes first through `removeToken` (the token records own
 * their shards and audit). Passed in, so workspaces never import tokens (tokens depend on workspaces, not back).
 */
export function removeWorkspace(
  core: VaultCore,
  id: string,
  options: { withTokens?: boolean; actor?: string },
  removeToken: (tokenId: string, options: { actor?: string }) => void,
): void {
  core.key();
  const tokenIds = core.read(() => core.db.prepare('SELECT id FROM tokens WHERE workspace_id = ?').pluck().all(id) as string[]);
  if (tokenIds.length > 0 && !options.withTokens)
    throw new AppFailure('invalid-argument', `The workspace still holds ${tokenIds.length} token(s). Remove them first.`);
  for (const t of tokenIds) removeToken(t, options.actor === undefined ? {} : { actor: options.actor });
  core.write(() => {
    const r = core.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('The workspace');
    dropRow(core, WORKSPACES, id);
  });
  core.wsCache?.workspaces.delete(id);
  core.touchAll();
}

/** Deletes a workspace's row inside the caller's write (its tokens must be gone first), checked before it goes. */
export function deleteWorkspaceRow(core: VaultCore, id: string): void {
  checkedRow(core, id);
  core.prepared('DELETE FROM workspaces WHERE id = ?').run(id);
  dropRow(core, WORKSPACES, id);
}

/**
 * Puts a whole workspace back (a restore from the trash) under its own id and dates, its names and credential sealed
 * anew and the row authenticated, inside the caller's write. The provider login is not kept: the next call logs in again.
 */
export function putWorkspaceRow(core: VaultCore, ws: Workspace, adminCredential: string | null): void {
  const key = core.key();
  const fields: WorkspaceFields = {
    name: ws.name,
    baseUrl: ws.baseUrl,
    username: ws.username,
    tokenPageUrl: ws.tokenPageUrl,
    syncErrorMessage: ws.lastSyncError?.message ?? null,
    // A restore keeps a hold: the credential was not confirmed for this address before it went to the trash either.
    credentialHold: ws.credentialHold ? { from: ws.credentialHold.from, at: ws.credentialHold.at } : null,
  };
  core
    .prepared(
      `INSERT INTO workspaces (id, kind, fields, admin_credential, rotate_every_days, rotation_basis, created_at, updated_at, last_sync_at, last_sync_error_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      ws.id,
      ws.kind,
      sealField(key, ws.id, 'fields', JSON.stringify(fields)),
      adminCredential ? sealField(key, ws.id, 'admin_credential', adminCredential) : null,
      ws.rotationPolicy?.rotateEveryDays ?? null,
      ws.rotationPolicy?.basis ?? null,
      ws.createdAt,
      new Date().toISOString(),
      ws.lastSyncAt,
      ws.lastSyncError?.code ?? null,
    );
  sealRow(core, WORKSPACES, ws.id);
}

/** After a committed write that added or removed workspaces: the caches reload them, every token view refreshes. */
export function workspacesChanged(core: VaultCore): void {
  core.wsCache = null;
  core.touchAll();
}

export function setLogin(core: VaultCore, workspaceId: string, login: string | null): void {
  const key = core.key();
  core.write(() => {
    checkedRow(core, workspaceId);
    const blob = login ? sealField(key, workspaceId, 'provider_session', login) : null;
    core.db.prepare('UPDATE workspaces SET provider_session = ? WHERE id = ?').run(blob, workspaceId);
    sealRow(core, WORKSPACES, workspaceId);
  });
  const ws = core.wsCache?.workspaces.get(workspaceId);
  if (ws) ws.hasLogin = login !== null;
}

/** A workspace's provider login (column provider_session), opened on demand: never kept in the cache. */
export function readLogin(core: VaultCore, id: string): string | null {
  const key = core.key();
  const row = checkedRow(core, id);
  return row.provider_session ? openField(key, id, 'provider_session', row.provider_session) : null;
}

/**
 * The admin credential is held (see Workspace.credentialHold): refused with the reason, never handed to a caller that
 * would send it. The vault's own readers (sharing, the trash) use readConnection, which does not send anything.
 */
export function credentialHeldFailure(ws: Workspace): AppFailure {
  const to = ws.credentialHold?.to ?? 'its new address';
  const from = ws.credentialHold?.from ?? 'its old address';
  if (!ws.hasAdminCredential)
    return new AppFailure(
      'credential-unconfirmed',
      `The workspace "${ws.name}" was moved to ${to} by a shared change. Its tokens' secrets were stored for ${from}, so none is sent to the new address until you confirm it there on this device.`,
    );
  return new AppFailure(
    'credential-unconfirmed',
    `The workspace "${ws.name}" was moved to ${to} by a shared change. Its admin credential was given for ${from}, so it is not sent to the new address until you confirm it there on this device, or enter another.`,
    { field: 'adminSecret' },
  );
}

/**
 * Clears a credential hold once the user confirmed the stored credential for the address the workspace has now,
 * `origin` (what they were shown): another move meanwhile (a sync in another process) keeps the hold and says so.
 */
export function releaseCredential(core: VaultCore, id: string, origin: string | null): Workspace {
  const key = core.key();
  core.write(() => {
    const row = checkedRow(core, id);
    const fields = openWorkspaceFields(key, id, row.fields);
    if (!fields.credentialHold) return;
    if (originOf(fields.baseUrl) !== origin)
      throw new AppFailure('share-local-changed', `The workspace "${fields.name}" moved again meanwhile. Look at its address, then confirm again.`);
    fields.credentialHold = null;
    core.db.prepare('UPDATE workspaces SET fields = ?, updated_at = ? WHERE id = ?').run(sealField(key, id, 'fields', JSON.stringify(fields)), new Date().toISOString(), id);
    sealRow(core, WORKSPACES, id);
  });
  return reloadWorkspace(core, id);
}

/**
 * A workspace and its admin credential read together, in one read: the credential is only ever sent to the address
 * stored beside it at that moment (another process may be moving the workspace meanwhile).
 */
export function readConnection(core: VaultCore, id: string): { workspace: Workspace; adminCredential: string | null } {
  const key = core.key();
  const row = checkedRow(core, id);
  const adminCredential = row.admin_credential ? openField(key, id, 'admin_credential', row.admin_credential) : null;
  return { workspace: workspaceOf(key, row), adminCredential };
}

/** Re-reads one workspace after a write and refreshes it in the cache (if one is held). */
function reloadWorkspace(core: VaultCore, id: string): Workspace {
  const key = core.key();
  const ws = workspaceOf(key, checkedRow(core, id));
  core.wsCache?.workspaces.set(id, ws);
  return ws;
}

function workspaceOf(key: Buffer, row: WorkspaceRow): Workspace {
  const f = openWorkspaceFields(key, row.id, row.fields);
  const lastSyncError: SyncError | null = row.last_sync_error_code
    ? { code: row.last_sync_error_code, message: f.syncErrorMessage ?? '' }
    : null;
  return {
    id: row.id,
    kind: row.kind,
    name: f.name,
    baseUrl: f.baseUrl,
    username: f.username,
    tokenPageUrl: f.tokenPageUrl,
    rotationPolicy: policyOf(row.rotate_every_days, row.rotation_basis),
    hasAdminCredential: row.admin_credential !== null,
    hasLogin: row.provider_session !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSyncAt: row.last_sync_at,
    lastSyncError,
    credentialHold: f.credentialHold ? { from: f.credentialHold.from, at: f.credentialHold.at, to: originOf(f.baseUrl) } : null,
  };
}

/** The vault's workspaces: `vault.workspaces`. */
export interface VaultWorkspaces {
  create(input: NewWorkspace): Workspace;
  list(): Workspace[];
  find(id: string): Workspace | undefined;
  get(id: string): Workspace;
  /** An exact name first, else the first case-insensitive match. */
  findByName(name: string): Workspace | undefined;
  /** An address at another origin drops the admin credential unless the patch brings one; see updateWorkspace. */
  update(id: string, patch: WorkspacePatch): Workspace;
  /** Refuses while tokens remain, unless `withTokens` (then they go too, audited). */
  remove(id: string, options?: { withTokens?: boolean; actor?: string }): void;
  /**
   * The workspace as stored now and its admin credential, read together (to connect to the service). Refuses with
   * `credential-unconfirmed` while the credential is held (a shared change moved the workspace to another origin).
   */
  connection(id: string): { workspace: Workspace; adminCredential: string | null };
  /** The user confirmed the held credential for `origin`, the address's origin they were shown; see releaseCredential. */
  releaseCredential(id: string, origin: string | null): Workspace;
  /** The provider's login (e.g. Strapi's admin JWT + refresh cookie as JSON), reused across processes. */
  login(id: string): string | null;
  setLogin(id: string, login: string | null): void;
}

export function vaultWorkspaces(core: VaultCore, removeToken: (tokenId: string, options: { actor?: string }) => void): VaultWorkspaces {
  const find = (id: string) => freshWorkspaces(core).get(id);
  return {
    create: (input) => createWorkspace(core, input),
    list: () => [...freshWorkspaces(core).values()],
    find,
    get: (id) => {
      const ws = find(id);
      if (!ws) throw notFound('The workspace');
      return ws;
    },
    findByName: (name) => findWorkspaceByName(core, name),
    update: (id, patch) => updateWorkspace(core, id, patch),
    remove: (id, options = {}) => removeWorkspace(core, id, options, removeToken),
    connection: (id) => {
      const conn = readConnection(core, id);
      // Held: neither the admin credential nor, through a provider call, a token's own secret goes to the new address.
      if (conn.workspace.credentialHold) throw credentialHeldFailure(conn.workspace);
      return conn;
    },
    releaseCredential: (id, origin) => releaseCredential(core, id, origin),
    login: (id) => readLogin(core, id),
    setLogin: (id, login) => setLogin(core, id, login),
  };
}

/** A re-key (issue 10 item 9), inside its write: every workspace read and checked now; rewritten by the function. */
export function rekeyWorkspaces(core: VaultCore): () => void {
  const key = core.key();
  const fields = ['fields', 'admin_credential', 'provider_session'] as const;
  const plain = checkedRows<WorkspaceRow>(core, WORKSPACES, '', [], { whole: true }).map((row) => ({
    id: row.id,
    texts: fields.map((f) => (row[f] ? openField(key, row.id, f, row[f]) : null)),
  }));
  return () => {
    const newKey = core.key();
    const update = core.prepared('UPDATE workspaces SET fields = ?, admin_credential = ?, provider_session = ? WHERE id = ?');
    for (const { id, texts } of plain) {
      update.run(...texts.map((t, i) => (t === null ? null : sealField(newKey, id, fields[i]!, t))), id);
      sealRow(core, WORKSPACES, id);
    }
  };
}
