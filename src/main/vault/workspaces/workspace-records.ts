import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { notFound, policyOf, type VaultCore } from '../db/vault-core';
import type { NewWorkspace, SyncError, Workspace, WorkspacePatch } from '../db/vault-types';

/** The sealed part of a workspace row: everything that names or locates the service. */
export interface WorkspaceFields {
  name: string;
  baseUrl: string | null;
  username: string | null;
  tokenPageUrl: string | null;
  syncErrorMessage: string | null;
}

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

export const sealWorkspaceFields = (key: Buffer, id: string, fields: WorkspaceFields): Buffer =>
  sealText(key, JSON.stringify(fields), aad('workspaces', id, 'fields'));

const openWorkspaceFields = (key: Buffer, id: string, blob: Buffer): WorkspaceFields =>
  JSON.parse(openText(key, blob, aad('workspaces', id, 'fields'), 'A workspace')) as WorkspaceFields;

/** Every workspace, decrypted once and kept until another connection commits (PRAGMA data_version). */
export function freshWorkspaces(core: VaultCore): Map<string, Workspace> {
  const key = core.key();
  const version = core.dataVersion();
  if (core.wsCache && core.wsCache.version === version) return core.wsCache.workspaces;
  const workspaces = new Map<string, Workspace>();
  for (const row of core.read(() => core.db.prepare('SELECT * FROM workspaces').all()) as WorkspaceRow[])
    workspaces.set(row.id, workspaceOf(key, row));
  core.wsCache = { workspaces, version };
  return workspaces;
}

export function createWorkspace(core: VaultCore, input: NewWorkspace): Workspace {
  const key = core.key();
  const id = randomUUID();
  const now = new Date().toISOString();
  const fields: WorkspaceFields = {
    name: input.name,
    baseUrl: input.baseUrl ?? null,
    username: input.username ?? null,
    tokenPageUrl: input.tokenPageUrl ?? null,
    syncErrorMessage: null,
  };
  core.write(() => {
    core.db
      .prepare(
        `INSERT INTO workspaces (id, kind, fields, admin_credential, rotate_every_days, rotation_basis, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.kind,
        sealWorkspaceFields(key, id, fields),
        input.adminCredential ? sealText(key, input.adminCredential, aad('workspaces', id, 'admin_credential')) : null,
        input.rotationPolicy?.rotateEveryDays ?? null,
        input.rotationPolicy?.basis ?? null,
        now,
        now,
      );
  });
  return reloadWorkspace(core, id);
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

export function updateWorkspace(core: VaultCore, id: string, patch: WorkspacePatch): Workspace {
  const key = core.key();
  core.write(() => {
    const row = core.db.prepare('SELECT fields FROM workspaces WHERE id = ?').get(id) as { fields: Buffer } | undefined;
    if (!row) throw notFound('The workspace');
    const fields = openWorkspaceFields(key, id, row.fields);
    if (patch.name !== undefined) fields.name = patch.name;
    if (patch.baseUrl !== undefined) fields.baseUrl = patch.baseUrl;
    if (patch.username !== undefined) fields.username = patch.username;
    if (patch.tokenPageUrl !== undefined) fields.tokenPageUrl = patch.tokenPageUrl;
    if (patch.lastSyncError !== undefined) fields.syncErrorMessage = patch.lastSyncError?.message ?? null;
    const sets: string[] = ['fields = ?', 'updated_at = ?'];
    const args: unknown[] = [sealWorkspaceFields(key, id, fields), new Date().toISOString()];
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
    if (patch.adminCredential !== undefined) {
      sets.push('admin_credential = ?');
      args.push(patch.adminCredential ? sealText(key, patch.adminCredential, aad('workspaces', id, 'admin_credential')) : null);
    }
    core.db.prepare(`UPDATE workspaces SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
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
  });
  core.wsCache?.workspaces.delete(id);
  core.touchAll();
}

/** Deletes a workspace's row inside the caller's write (its tokens must be gone first). */
export function deleteWorkspaceRow(core: VaultCore, id: string): void {
  const r = core.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
  if (r.changes === 0) throw notFound('The workspace');
}

/**
 * Puts a whole workspace back (a restore from the trash) under its own id and dates, its credential sealed anew,
 * inside the caller's write. The provider login is not kept: the next call logs in again.
 */
export function putWorkspaceRow(core: VaultCore, key: Buffer, ws: Workspace, adminCredential: string | null): void {
  const fields: WorkspaceFields = { name: ws.name, baseUrl: ws.baseUrl, username: ws.username, tokenPageUrl: ws.tokenPageUrl, syncErrorMessage: ws.lastSyncError?.message ?? null };
  core.db
    .prepare(
      `INSERT INTO workspaces (id, kind, fields, admin_credential, rotate_every_days, rotation_basis, created_at, updated_at, last_sync_at, last_sync_error_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      ws.id,
      ws.kind,
      sealWorkspaceFields(key, ws.id, fields),
      adminCredential ? sealText(key, adminCredential, aad('workspaces', ws.id, 'admin_credential')) : null,
      ws.rotationPolicy?.rotateEveryDays ?? null,
      ws.rotationPolicy?.basis ?? null,
      ws.createdAt,
      new Date().toISOString(),
      ws.lastSyncAt,
      ws.lastSyncError?.code ?? null,
    );
}

/** After a committed write that added or removed workspaces: the caches reload them, every token view refreshes. */
export function workspacesChanged(core: VaultCore): void {
  core.wsCache = null;
  core.touchAll();
}

export function setLogin(core: VaultCore, workspaceId: string, login: string | null): void {
  const key = core.key();
  core.write(() => {
    const blob = login ? sealText(key, login, aad('workspaces', workspaceId, 'provider_session')) : null;
    const r = core.db.prepare('UPDATE workspaces SET provider_session = ? WHERE id = ?').run(blob, workspaceId);
    if (r.changes === 0) throw notFound('The workspace');
  });
  const ws = core.wsCache?.workspaces.get(workspaceId);
  if (ws) ws.hasLogin = login !== null;
}

/** A workspace's admin credential or provider login (column provider_session), opened on demand: never kept in the cache. */
export function readWorkspaceSecret(core: VaultCore, id: string, column: 'admin_credential' | 'provider_session'): string | null {
  const key = core.key();
  const row = core.read(() => core.db.prepare(`SELECT ${column} AS v FROM workspaces WHERE id = ?`).get(id)) as
    | { v: Buffer | null }
    | undefined;
  if (!row) throw notFound('The workspace');
  return row.v ? openText(key, row.v, aad('workspaces', id, column), 'A workspace credential') : null;
}

/** Re-reads one workspace after a write and refreshes it in the cache (if one is held). */
function reloadWorkspace(core: VaultCore, id: string): Workspace {
  const key = core.key();
  const row = core.read(() => core.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id)) as WorkspaceRow | undefined;
  if (!row) throw notFound('The workspace');
  const ws = workspaceOf(key, row);
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
  update(id: string, patch: WorkspacePatch): Workspace;
  /** Refuses while tokens remain, unless `withTokens` (then they go too, audited). */
  remove(id: string, options?: { withTokens?: boolean; actor?: string }): void;
  adminCredential(id: string): string | null;
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
    adminCredential: (id) => readWorkspaceSecret(core, id, 'admin_credential'),
    login: (id) => readWorkspaceSecret(core, id, 'provider_session'),
    setLogin: (id, login) => setLogin(core, id, login),
  };
}
