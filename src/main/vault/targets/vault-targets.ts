import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppFailure } from '../../errors';
import {
  DeploymentTargetSpec,
  PushOutcome,
  PushReceipt,
  VerifyOutcome,
  withPush,
  type DeploymentTargetRecord,
} from '../../../shared/deployment-targets';
import { appendAuditRow } from '../audit/vault-audit';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { notFound, type VaultCore } from '../db/vault-core';

// Deployment targets (issue 13): one row per place a token is deployed to; everything but ids and dates sealed.

/** What the sealed blob holds: the record without the clear columns. */
const Sealed = z.object({
  spec: DeploymentTargetSpec,
  lastPush: PushOutcome.nullable(),
  lastReceipt: PushReceipt.nullable(),
  lastVerify: VerifyOutcome.nullable(),
});
type Sealed = z.infer<typeof Sealed>;

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
  let parsed: Sealed;
  try {
    parsed = Sealed.parse(JSON.parse(text));
  } catch {
    throw new AppFailure('vault-corrupt', `The deployment target ${row.id} could not be read; the vault is damaged. Restore it from a backup.`);
  }
  return { id: row.id, tokenId: row.token_id, createdAt: row.created_at, ...parsed };
}

const sealRecord = (key: Buffer, r: DeploymentTargetRecord): Buffer =>
  sealText(key, JSON.stringify({ spec: r.spec, lastPush: r.lastPush, lastReceipt: r.lastReceipt, lastVerify: r.lastVerify } satisfies Sealed), adOf(r.id, r.tokenId));

/** Two specs name the same place when their canonical JSON is equal (zod fills every default, keys in schema order). */
export const samePlace = (a: DeploymentTargetSpec, b: DeploymentTargetSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

function rowsWhere(core: VaultCore, where: string, args: unknown[]): Row[] {
  return core.db.prepare(`SELECT id, token_id, created_at, record FROM deployment_targets WHERE ${where} ORDER BY created_at, id`).all(...args) as Row[];
}

function listTargets(core: VaultCore, tokenId?: string): DeploymentTargetRecord[] {
  const key = core.key();
  return core.read(() => (tokenId === undefined ? rowsWhere(core, '1', []) : rowsWhere(core, 'token_id = ?', [tokenId])).map((r) => openRow(key, r)));
}

function findTarget(core: VaultCore, id: string): DeploymentTargetRecord | undefined {
  const key = core.key();
  return core.read(() => {
    const row = rowsWhere(core, 'id = ?', [id])[0];
    return row ? openRow(key, row) : undefined;
  });
}

function addTarget(core: VaultCore, tokenId: string, input: DeploymentTargetSpec, actor: string): DeploymentTargetRecord {
  const key = core.key();
  const spec = DeploymentTargetSpec.parse(input);
  const record = core.write(() => {
    const token = core.db.prepare('SELECT workspace_id FROM tokens WHERE id = ?').get(tokenId) as { workspace_id: string } | undefined;
    if (!token) throw notFound('The token');
    // One writer per place: two tokens written to one key would overwrite each other at every rotation.
    for (const other of rowsWhere(core, '1', []).map((r) => openRow(key, r)))
      if (samePlace(other.spec, spec))
        throw new AppFailure('already-exists', other.tokenId === tokenId ? 'This token is already deployed there.' : 'Another token is already deployed there; remove that target first.');
    const now = new Date().toISOString();
    const r: DeploymentTargetRecord = { id: randomUUID(), tokenId, spec, createdAt: now, lastPush: null, lastReceipt: null, lastVerify: null };
    core.db.prepare('INSERT INTO deployment_targets (id, token_id, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?)').run(r.id, tokenId, now, now, sealRecord(key, r));
    appendAuditRow(core, key, { action: 'target-added', tokenId, workspaceId: token.workspace_id, actor, detail: spec.kind });
    return r;
  });
  core.touch(tokenId);
  return record;
}

function removeTarget(core: VaultCore, id: string, actor: string): void {
  const key = core.key();
  const tokenId = core.write(() => {
    const row = rowsWhere(core, 'id = ?', [id])[0];
    if (!row) throw notFound('The deployment target');
    const r = openRow(key, row);
    core.db.prepare('DELETE FROM deployment_targets WHERE id = ?').run(id);
    const ws = core.db.prepare('SELECT workspace_id FROM tokens WHERE id = ?').pluck().get(r.tokenId) as string | undefined;
    appendAuditRow(core, key, { action: 'target-removed', tokenId: r.tokenId, workspaceId: ws ?? null, actor, detail: r.spec.kind });
    return r.tokenId;
  });
  core.touch(tokenId);
}

/** Read, change, write back in one transaction (another process may record its own push meanwhile). */
function patchTarget(core: VaultCore, id: string, change: (r: DeploymentTargetRecord) => DeploymentTargetRecord): DeploymentTargetRecord | undefined {
  const key = core.key();
  const out = core.write(() => {
    const row = rowsWhere(core, 'id = ?', [id])[0];
    // Removed while it was being pushed: the outcome has nowhere to go, and that is fine.
    if (!row) return undefined;
    const next = change(openRow(key, row));
    core.db.prepare('UPDATE deployment_targets SET record = ?, updated_at = ? WHERE id = ?').run(sealRecord(key, next), new Date().toISOString(), id);
    return next;
  });
  if (out) core.touch(out.tokenId);
  return out;
}

/**
 * Hands every target of `fromTokenId` to `toTokenId` (a create-new rotation: the replacement is deployed where the
 * old token was). Idempotent: a second call finds nothing left to move.
 */
function moveTargets(core: VaultCore, fromTokenId: string, toTokenId: string): number {
  const key = core.key();
  const moved = core.write(() => {
    if (!core.db.prepare('SELECT 1 FROM tokens WHERE id = ?').get(toTokenId)) throw notFound('The token');
    const rows = rowsWhere(core, 'token_id = ?', [fromTokenId]);
    const update = core.db.prepare('UPDATE deployment_targets SET token_id = ?, record = ?, updated_at = ? WHERE id = ?');
    const now = new Date().toISOString();
    for (const row of rows) {
      const r = { ...openRow(key, row), tokenId: toTokenId };
      update.run(toTokenId, sealRecord(key, r), now, r.id);
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
  core.db.prepare('DELETE FROM deployment_targets WHERE token_id = ?').run(tokenId);
}

/** A token's deployment targets: `vault.targets`. The use cases reach it through their TargetStore port. */
export interface VaultTargets {
  /** One token's targets, oldest first; every target of the vault without `tokenId`. */
  list(tokenId?: string): DeploymentTargetRecord[];
  find(id: string): DeploymentTargetRecord | undefined;
  /** Refuses a place some token is already deployed to (`already-exists`). Audited. */
  add(tokenId: string, spec: DeploymentTargetSpec, actor?: string): DeploymentTargetRecord;
  /** Audited. */
  remove(id: string, actor?: string): void;
  /** Records the outcome; a successful push also replaces lastReceipt (the baseline of the next verify). */
  recordPush(id: string, outcome: PushOutcome): DeploymentTargetRecord | undefined;
  recordVerify(id: string, outcome: VerifyOutcome): DeploymentTargetRecord | undefined;
  /** The replacement of a create-new rotation takes the old token's targets. Returns how many moved. */
  moveAll(fromTokenId: string, toTokenId: string): number;
}

export const vaultTargets = (core: VaultCore): VaultTargets => ({
  list: (tokenId) => listTargets(core, tokenId),
  find: (id) => findTarget(core, id),
  add: (tokenId, spec, actor = 'app') => addTarget(core, tokenId, spec, actor),
  remove: (id, actor = 'app') => removeTarget(core, id, actor),
  recordPush: (id, outcome) => patchTarget(core, id, (r) => withPush(r, outcome)),
  recordVerify: (id, outcome) => patchTarget(core, id, (r) => ({ ...r, lastVerify: outcome })),
  moveAll: (from, to) => moveTargets(core, from, to),
});
