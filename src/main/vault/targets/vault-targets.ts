import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import type { DeploymentTargetRecord, DeploymentTargetSpec, PushOutcome, PushReceipt, VerifyOutcome } from '../../../shared/deployment-targets';
import { TARGET_KINDS } from '../../../shared/target-kinds';
import { withPush } from '../../../shared/target-push';
import { appendAuditRow } from '../audit/vault-audit';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { absentRow, authTable, checkedRows, dropRow, sealRow } from '../db/row-auth';
import { notFound, type VaultCore } from '../db/vault-core';

// Deployment targets (issue 13): one row per place a token is deployed to; everything but ids and dates sealed.
// Authenticated row by row (db/row-auth.ts): a target handed to another token, dropped or copied back by hand would
// make the next rotation write a secret where the user never said, or skip a place that still holds the old one.
const TARGETS = authTable('deployment_targets', 'deployment target', ['id', 'token_id', 'created_at', 'updated_at', 'record', 'rev']);

/** What the sealed blob holds: the record without the clear columns. */
interface Sealed {
  spec: DeploymentTargetSpec;
  lastPush: PushOutcome | null;
  lastReceipt: PushReceipt | null;
  lastVerify: VerifyOutcome | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectOrNull = (v: unknown) => v === null || isObject(v);

/**
 * The sealed blob, read back. It opened under the data key with its id and token bound in, so this vault wrote it,
 * from a spec the target service checked against its schema first (TargetService.add). Only its outline and kind are
 * checked here (a kind this version does not know, written by a newer one, is refused as the schema refused it), so
 * a blob of another shape is damage, not a crash further on: the vault loads no zod (the command line's `run` was
 * 11 ms slower with it).
 */
function readSealed(text: string): Sealed | null {
  const o: unknown = JSON.parse(text);
  if (!isObject(o) || !isObject(o['spec']) || !(TARGET_KINDS as readonly unknown[]).includes(o['spec']['kind'])) return null;
  return objectOrNull(o['lastPush']) && objectOrNull(o['lastReceipt']) && objectOrNull(o['lastVerify']) ? (o as unknown as Sealed) : null;
}

interface Row {
  id: string;
  token_id: string;
  created_at: string;
  record: Buffer;
}

// The token id is bound into the blob's AAD: a row whose clear token_id was edited to hand the target to another
// token does not open.
const adOf = (id: string, tokenId: string) => aad('deployment_targets', id, `record:${tokenId}`);

function openRow(key: Buffer, row: Row): DeploymentTargetRecord {
  const text = openText(key, row.record, adOf(row.id, row.token_id), 'A deployment target');
  let parsed: Sealed | null = null;
  try {
    parsed = readSealed(text);
  } catch {
    // not JSON: the same damage as a wrong shape
  }
  if (!parsed) throw new AppFailure('vault-corrupt', `The deployment target ${row.id} could not be read; the vault is damaged. Restore it from a backup.`);
  return { id: row.id, tokenId: row.token_id, createdAt: row.created_at, ...parsed };
}

const sealRecord = (key: Buffer, r: DeploymentTargetRecord): Buffer =>
  sealText(key, JSON.stringify({ spec: r.spec, lastPush: r.lastPush, lastReceipt: r.lastReceipt, lastVerify: r.lastVerify } satisfies Sealed), adOf(r.id, r.tokenId));

/** Two specs name the same place when their canonical JSON is equal (zod fills every default, keys in schema order). */
export const samePlace = (a: DeploymentTargetSpec, b: DeploymentTargetSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Rows checked (MAC and rev); `where === '1'` is the whole table, so a row deleted by hand is refused too. */
function rowsWhere(core: VaultCore, where: string, args: unknown[]): Row[] {
  return checkedRows<Row>(core, TARGETS, `${where} ORDER BY created_at, id`, args, { whole: where === '1' });
}

/** One target by id, checked: undefined when absent, vault-tampered when the manifest says it should be there. */
function rowById(core: VaultCore, id: string): Row | undefined {
  const row = rowsWhere(core, 'id = ?', [id])[0];
  if (!row && core.manifest().revs[TARGETS.name]?.[id] !== undefined) throw absentRow(core, TARGETS, id, () => notFound('The deployment target'));
  return row;
}

/**
 * The token's workspace, undefined when there is no such token: read from the checked token summaries (an edited token
 * row is refused there). Handed in by the Vault, so this folder and tokens/ do not import each other.
 */
export type TokenWorkspaceOf = (tokenId: string) => string | undefined;

function listTargets(core: VaultCore, tokenId?: string): DeploymentTargetRecord[] {
  const key = core.key();
  return core.read(() => (tokenId === undefined ? rowsWhere(core, '1', []) : rowsWhere(core, 'token_id = ?', [tokenId])).map((r) => openRow(key, r)));
}

function findTarget(core: VaultCore, id: string): DeploymentTargetRecord | undefined {
  const key = core.key();
  return core.read(() => {
    const row = rowById(core, id);
    return row ? openRow(key, row) : undefined;
  });
}

function addTarget(core: VaultCore, workspaceOfToken: TokenWorkspaceOf, tokenId: string, spec: DeploymentTargetSpec, actor: string): DeploymentTargetRecord {
  const key = core.key();
  const record = core.write(() => {
    const workspaceId = workspaceOfToken(tokenId);
    if (workspaceId === undefined) throw notFound('The token');
    // One writer per place: two tokens written to one key would overwrite each other at every rotation.
    for (const other of rowsWhere(core, '1', []).map((r) => openRow(key, r)))
      if (samePlace(other.spec, spec))
        throw new AppFailure('already-exists', other.tokenId === tokenId ? 'This token is already deployed there.' : 'Another token is already deployed there; remove that target first.');
    const now = new Date().toISOString();
    const r: DeploymentTargetRecord = { id: randomUUID(), tokenId, spec, createdAt: now, lastPush: null, lastReceipt: null, lastVerify: null };
    core.prepared('INSERT INTO deployment_targets (id, token_id, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)').run(r.id, tokenId, now, now, sealRecord(key, r));
    sealRow(core, TARGETS, r.id);
    appendAuditRow(core, key, { action: 'target-added', tokenId, workspaceId, actor, detail: spec.kind });
    return r;
  });
  core.touch(tokenId);
  return record;
}

function removeTarget(core: VaultCore, workspaceOfToken: TokenWorkspaceOf, id: string, actor: string): void {
  const key = core.key();
  const tokenId = core.write(() => {
    const row = rowById(core, id);
    if (!row) throw notFound('The deployment target');
    const r = openRow(key, row);
    core.prepared('DELETE FROM deployment_targets WHERE id = ?').run(id);
    dropRow(core, TARGETS, id);
    appendAuditRow(core, key, { action: 'target-removed', tokenId: r.tokenId, workspaceId: workspaceOfToken(r.tokenId) ?? null, actor, detail: r.spec.kind });
    return r.tokenId;
  });
  core.touch(tokenId);
}

/** Read, change, write back in one transaction (another process may record its own push meanwhile). */
function patchTarget(core: VaultCore, id: string, change: (r: DeploymentTargetRecord) => DeploymentTargetRecord): DeploymentTargetRecord | undefined {
  const key = core.key();
  const out = core.write(() => {
    const row = rowById(core, id);
    // Removed while it was being pushed: the outcome has nowhere to go, and that is fine.
    if (!row) return undefined;
    const next = change(openRow(key, row));
    core.prepared('UPDATE deployment_targets SET record = ?, updated_at = ? WHERE id = ?').run(sealRecord(key, next), new Date().toISOString(), id);
    sealRow(core, TARGETS, id);
    return next;
  });
  if (out) core.touch(out.tokenId);
  return out;
}

/**
 * Hands every target of `fromTokenId` to `toTokenId` (a create-new rotation: the replacement is deployed where the
 * old token was). Idempotent: a second call finds nothing left to move.
 */
function moveTargets(core: VaultCore, workspaceOfToken: TokenWorkspaceOf, fromTokenId: string, toTokenId: string): number {
  const key = core.key();
  const moved = core.write(() => {
    if (workspaceOfToken(toTokenId) === undefined) throw notFound('The token');
    const rows = rowsWhere(core, 'token_id = ?', [fromTokenId]);
    const update = core.prepared('UPDATE deployment_targets SET token_id = ?, record = ?, updated_at = ? WHERE id = ?');
    const now = new Date().toISOString();
    for (const row of rows) {
      const r = { ...openRow(key, row), tokenId: toTokenId };
      update.run(toTokenId, sealRecord(key, r), now, r.id);
      sealRow(core, TARGETS, r.id);
    }
    return rows.length;
  });
  if (moved > 0) {
    core.touch(fromTokenId);
    core.touch(toTokenId);
  }
  return moved;
}

/** Inside the token's own removal transaction: its targets go with it. */
export function removeTargetsOfToken(core: VaultCore, tokenId: string): void {
  const ids = core.prepared('SELECT id FROM deployment_targets WHERE token_id = ?').pluck().all(tokenId) as string[];
  const remove = core.prepared('DELETE FROM deployment_targets WHERE id = ?');
  for (const id of ids) {
    remove.run(id);
    dropRow(core, TARGETS, id);
  }
}

/** A re-key (issue 10 item 9), inside its write: every target read and checked now; rewritten by the function. */
export function rekeyTargets(core: VaultCore): () => void {
  const key = core.key();
  const records = rowsWhere(core, '1', []).map((row) => openRow(key, row));
  return () => {
    const newKey = core.key();
    const update = core.prepared('UPDATE deployment_targets SET record = ? WHERE id = ?');
    for (const r of records) {
      update.run(sealRecord(newKey, r), r.id);
      sealRow(core, TARGETS, r.id);
    }
  };
}

/** A token's deployment targets: `vault.targets`. The use cases reach it through their TargetStore port. */
export interface VaultTargets {
  /** One token's targets, oldest first; every target of the vault without `tokenId`. */
  list(tokenId?: string): DeploymentTargetRecord[];
  find(id: string): DeploymentTargetRecord | undefined;
  /**
   * Refuses a place some token is already deployed to (`already-exists`). Audited. `spec` is what
   * DeploymentTargetSpec parsed (TargetService.add does): canonical, every default filled, as `samePlace` compares.
   */
  add(tokenId: string, spec: DeploymentTargetSpec, actor?: string): DeploymentTargetRecord;
  /** Audited. */
  remove(id: string, actor?: string): void;
  /** Records the outcome; a successful push also replaces lastReceipt (the baseline of the next verify). */
  recordPush(id: string, outcome: PushOutcome): DeploymentTargetRecord | undefined;
  recordVerify(id: string, outcome: VerifyOutcome): DeploymentTargetRecord | undefined;
  /** The replacement of a create-new rotation takes the old token's targets. Returns how many moved. */
  moveAll(fromTokenId: string, toTokenId: string): number;
}

export const vaultTargets = (core: VaultCore, workspaceOfToken: TokenWorkspaceOf): VaultTargets => ({
  list: (tokenId) => listTargets(core, tokenId),
  find: (id) => findTarget(core, id),
  add: (tokenId, spec, actor = 'app') => addTarget(core, workspaceOfToken, tokenId, spec, actor),
  remove: (id, actor = 'app') => removeTarget(core, workspaceOfToken, id, actor),
  recordPush: (id, outcome) => patchTarget(core, id, (r) => withPush(r, outcome)),
  recordVerify: (id, outcome) => patchTarget(core, id, (r) => ({ ...r, lastVerify: outcome })),
  moveAll: (from, to) => moveTargets(core, workspaceOfToken, from, to),
});
