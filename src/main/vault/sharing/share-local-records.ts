import { AppFailure } from '../../errors';
import type { VaultCore } from '../db/vault-core';
import type { CredentialHold, NewToken, TokenPatch } from '../db/vault-types';
import { applyTokenBatch } from '../tokens/token-batch';
import { findToken, removeToken, setTokenSecret } from '../tokens/token-records';
import { ROW, TOKEN_COLUMNS, type TokenRow } from '../tokens/token-rows';
import { checkedRow, freshTokens, openSecret } from '../tokens/token-store';
import { createWorkspace, freshWorkspaces, originOf, readConnection, removeWorkspace, updateWorkspace } from '../workspaces/workspace-records';
import type { LocalRecord, RecordRef, SharedRecordKind, SharedRecordValues, SharedTokenFields } from './share-records';
import { conflictIds, readConflicts, setConflict } from './share-store';

/**
 * The workspaces and tokens of a share, as the sharing engine reads and writes them: through the vault's own record
 * operations (shards, audit, caches and the window's change list all stay right), never around them.
 */

const ACTOR = 'share';

/**
 * A record's revision, in SQL: it must change on EVERY write, even two in the same millisecond (a clock that does
 * not move, or a write stamped with the same instant), so it is not the time alone: each sealed value ends in a fresh
 * GCM tag, so the tail of the sealed blobs a write touches changes with every write.
 */
const WORKSPACE_REVISION = `w.updated_at || '/' || hex(substr(w.fields, -16)) || '/' || ifnull(hex(substr(w.admin_credential, -16)), '')`;
const TOKEN_REVISION = `t.updated_at || '/' || s.gen || '/' || ifnull(hex(substr(t.secret, -16)), '')`;

/**
 * Clear facts of the shared workspaces and their tokens: no decryption (a sync lists them every time). A revision
 * only tells the engine which records to read again; what it then reads (readRecords) is checked row by row. The
 * "two secrets" marks come from their checked rows.
 */
export function listRecords(core: VaultCore, workspaceIds: readonly string[]): RecordRef[] {
  const ids = JSON.stringify([...new Set(workspaceIds)]);
  const conflicts = conflictIds(core);
  return core.read(() => {
    const ws = core.db.prepare(`SELECT w.id, ${WORKSPACE_REVISION} FROM workspaces w WHERE w.id IN (SELECT value FROM json_each(?))`).raw().all(ids) as [string, string][];
    const tokens = core.db
      .prepare(
        `SELECT t.id, ${TOKEN_REVISION} FROM tokens t JOIN token_shards s ON s.id = t.shard_id
         WHERE t.workspace_id IN (SELECT value FROM json_each(?))`,
      )
      .raw()
      .all(ids) as [string, string][];
    return [
      ...ws.map(([id, revision]) => ({ kind: 'workspace' as const, id, revision, secretConflict: conflicts.has(id) })),
      ...tokens.map(([id, revision]) => ({ kind: 'token' as const, id, revision, secretConflict: conflicts.has(id) })),
    ];
  });
}

/** The revisions of these records as they are now (what listRecords would say), for the states a sync writes. */
export function revisionsOf(core: VaultCore, ids: readonly string[]): Map<string, string> {
  const json = JSON.stringify([...new Set(ids)]);
  const rows = core.db
    .prepare(
      `SELECT w.id, ${WORKSPACE_REVISION} FROM workspaces w WHERE w.id IN (SELECT value FROM json_each(?))
       UNION ALL SELECT t.id, ${TOKEN_REVISION} FROM tokens t JOIN token_shards s ON s.id = t.shard_id
       WHERE t.id IN (SELECT value FROM json_each(?))`,
    )
    .raw()
    .all(json, json) as [string, string][];
  return new Map(rows);
}

/** These tokens' secrets (not audited: for the merge, never shown), each row checked first (its secret_rev is in the AAD). */
function tokenSecrets(core: VaultCore, ids: readonly string[]): Map<string, string | null> {
  const key = core.key();
  const rows = core.read(() =>
    core.db.transaction(() => {
      const found = core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens WHERE id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(ids)) as [...TokenRow, Buffer | null][];
      for (const f of found) checkedRow(core, f.slice(0, -1) as TokenRow);
      return found;
    })(),
  );
  return new Map(
    rows.map((f) => {
      const id = f[0];
      const blob = f[f.length - 1] as Buffer | null;
      return [id, blob ? openSecret(key, id, f[ROW.secretRev], blob) : null];
    }),
  );
}

/** The values of these records (those that exist), secrets included: for the engine's merge, never for showing. */
export function readRecords(core: VaultCore, ids: readonly string[]): LocalRecord[] {
  const wanted = [...new Set(ids)];
  const workspaces = freshWorkspaces(core);
  const tokens = freshTokens(core);
  const tokenIds = wanted.filter((id) => tokens.has(id));
  const secrets = tokenSecrets(core, tokenIds);
  const revisions = core.read(() => revisionsOf(core, wanted));
  const conflicts = readConflicts(core, wanted);
  const out: LocalRecord[] = [];
  for (const id of wanted) {
    const revision = revisions.get(id);
    if (revision === undefined) continue;
    const w = workspaces.get(id);
    if (w) {
      out.push({
        kind: 'workspace',
        id,
        fields: { kind: w.kind, name: w.name, baseUrl: w.baseUrl, username: w.username, tokenPageUrl: w.tokenPageUrl, rotationPolicy: w.rotationPolicy },
        secret: readConnection(core, id).adminCredential,
        secretConflict: conflicts.get(id) ?? null,
        revision,
        updatedAt: w.updatedAt,
      });
      continue;
    }
    const t = tokens.get(id);
    if (!t) continue;
    out.push({
      kind: 'token',
      id,
      fields: {
        workspaceId: t.workspaceId,
        remoteId: t.remoteId,
        name: t.name,
        description: t.description,
        prefix: t.prefix,
        type: t.type,
        scopes: t.scopes,
        url: t.url,
        notes: t.notes,
        status: t.status,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
        lastUsedAt: t.lastUsedAt,
        usageCount: t.usageCount,
        rotationPolicy: t.rotationPolicy,
        lastRotatedAt: t.lastRotatedAt,
        warningDays: t.warningDays,
        replacedById: t.replacedById,
        replacesId: t.replacesId,
      },
      secret: secrets.get(id) ?? null,
      secretConflict: conflicts.get(id) ?? null,
      revision,
      updatedAt: t.updatedAt,
    });
  }
  return out;
}

const tokenPatch = (f: SharedTokenFields): TokenPatch => ({
  remoteId: f.remoteId,
  name: f.name,
  description: f.description,
  prefix: f.prefix,
  type: f.type,
  scopes: f.scopes,
  url: f.url,
  notes: f.notes,
  status: f.status,
  createdAt: f.createdAt,
  expiresAt: f.expiresAt,
  lastUsedAt: f.lastUsedAt,
  usageCount: f.usageCount,
  rotationPolicy: f.rotationPolicy,
  lastRotatedAt: f.lastRotatedAt,
  warningDays: f.warningDays,
  replacedById: f.replacedById,
  replacesId: f.replacesId,
});

/**
 * Inside a write: what a sync changes locally. Tokens are removed before workspaces, workspaces put before tokens
 * (the order the engine hands them in). A workspace whose address, user or credential changed loses its provider
 * login (updateWorkspace's rule: a session made for the old one is never sent to the new one).
 */
export function applyRecordChanges(core: VaultCore, put: readonly SharedRecordValues[], remove: readonly { kind: SharedRecordKind; id: string }[]): void {
  const workspaces = freshWorkspaces(core);
  const tokens = freshTokens(core);
  for (const r of remove) {
    if (r.kind === 'token') {
      if (tokens.has(r.id)) removeToken(core, r.id, { actor: ACTOR });
    } else if (workspaces.has(r.id)) removeWorkspace(core, r.id, { withTokens: true, actor: ACTOR }, (id, options) => removeToken(core, id, options));
    setConflict(core, r.id, r.kind, null);
  }

  const secretsNow = tokenSecrets(core, put.filter((p) => p.kind === 'token' && tokens.has(p.id)).map((p) => p.id));
  const inserts = new Map<string, NewToken[]>();
  const updates = new Map<string, { id: string; patch: TokenPatch }[]>();
  const secretWrites: { id: string; secret: string | null }[] = [];
  for (const p of put) {
    if (p.kind === 'workspace') {
      const current = freshWorkspaces(core).get(p.id);
      const f = p.fields;
      if (!current) {
        createWorkspace(core, { kind: f.kind, name: f.name, baseUrl: f.baseUrl, username: f.username, tokenPageUrl: f.tokenPageUrl, rotationPolicy: f.rotationPolicy, adminCredential: p.secret }, p.id);
      } else {
        if (current.kind !== f.kind) throw new AppFailure('share-untrusted', 'A shared workspace changed its service kind; it was not applied.');
        const credential = readConnection(core, p.id).adminCredential;
        // The shared record carries its address and credential together, so the credential is passed whenever either
        // changed (updateWorkspace would drop it on a move of origin, and drops the provider login on any change of
        // address, user or credential). But a move that keeps the credential this device already has would send it to
        // a host it was never given for on this device (issue 10's rule for a local move): it is kept, held, until the
        // user confirms it here. A credential that arrives with the move is new: its author gave it for that address.
        const carry = credential !== p.secret || current.baseUrl !== f.baseUrl;
        // A manual workspace sends nothing anywhere (its address is a page the user opens): nothing to hold.
        const hold = carry && current.kind !== 'manual' ? holdAfterMove(current.credentialHold, current.baseUrl, f.baseUrl, credential, p.secret) : undefined;
        updateWorkspace(core, p.id, {
          name: f.name,
          baseUrl: f.baseUrl,
          username: f.username,
          tokenPageUrl: f.tokenPageUrl,
          rotationPolicy: f.rotationPolicy,
          ...(carry ? { adminCredential: p.secret } : {}),
          ...(hold !== undefined ? { credentialHold: hold } : {}),
        });
      }
    } else {
      const current = tokens.get(p.id);
      const ws = p.fields.workspaceId;
      if (current && current.workspaceId !== ws) {
        // Tokens do not move between workspaces in the vault: the moved token is the same record in its new place.
        removeToken(core, p.id, { actor: ACTOR });
      }
      if (!current || current.workspaceId !== ws) {
        const list = inserts.get(ws) ?? [];
        list.push({ id: p.id, workspaceId: ws, ...tokenPatch(p.fields), name: p.fields.name, secret: p.secret });
        inserts.set(ws, list);
      } else {
        const list = updates.get(ws) ?? [];
        list.push({ id: p.id, patch: tokenPatch(p.fields) });
        updates.set(ws, list);
        if ((secretsNow.get(p.id) ?? null) !== p.secret) secretWrites.push({ id: p.id, secret: p.secret });
      }
    }
    setConflict(core, p.id, p.kind, p.secretConflict);
  }
  for (const ws of new Set([...inserts.keys(), ...updates.keys()])) {
    if (!freshWorkspaces(core).has(ws)) throw new AppFailure('share-untrusted', 'A shared token names a workspace that is not in the share; it was not applied.');
    applyTokenBatch(core, ws, { insert: inserts.get(ws) ?? [], update: updates.get(ws) ?? [] }, ACTOR, { remoteIdsMayRepeat: true });
  }
  for (const w of secretWrites) setTokenSecret(core, w.id, w.secret, ACTOR);
}

/**
 * The credential hold after a synced write of a workspace's address or credential (undefined: as updateWorkspace
 * decides, i.e. cleared when the credential is written). Held when the origin moved and no new credential came with
 * the move (the one this device already had, or none: the tokens' secrets are held back too); released when it moves
 * back to the origin the credential was given for.
 */
export function holdAfterMove(
  held: CredentialHold | null | undefined,
  fromUrl: string | null,
  toUrl: string | null,
  credentialNow: string | null,
  credentialAfter: string | null,
): CredentialHold | null | undefined {
  // A credential that arrives with the move was given for the new address by its author. Without one (none, or the
  // same as before) nothing on this device was given for it: not the admin credential, and not the tokens' own
  // secrets either, which revoking and checking a token at its issuer send there.
  if (credentialAfter !== null && credentialAfter !== credentialNow) return undefined;
  const from = held ? held.from : originOf(fromUrl);
  const to = originOf(toUrl);
  if (to === from) return null;
  if (held) return { from: held.from, at: held.at };
  return { from, at: new Date().toISOString() };
}

/** Inside a write: a record's secret after the user picked one of its candidates. */
export function pickSecret(core: VaultCore, recordId: string, kind: SharedRecordKind, secret: string): void {
  if (kind === 'token') {
    if (!findToken(core, recordId)) throw new AppFailure('not-found', 'That token was not found in the vault.');
    setTokenSecret(core, recordId, secret, ACTOR);
  } else {
    // Picking the credential that is held keeps it held: a pick chooses between values, it does not confirm an address.
    const { workspace, adminCredential } = readConnection(core, recordId);
    updateWorkspace(core, recordId, { adminCredential: secret, ...(workspace.credentialHold && adminCredential === secret ? { credentialHold: { from: workspace.credentialHold.from, at: workspace.credentialHold.at } } : {}) });
  }
  setConflict(core, recordId, kind, null);
}
