import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { wipe } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import { appendAuditRows } from '../audit/vault-audit';
import { fieldsOf, tokenFromInput } from './token-rows';
import { freshTokens, insertTokenRow, openSecret, pickShard, ShardWrite } from './token-store';
import type { DetailedImportOutcome, ImportMatch, ImportOutcome, ImportRecord, ImportRecordResult, TokenSummary } from '../db/vault-types';
import { freshWorkspaces, insertWorkspaceRow } from '../workspaces/workspace-records';

/**
 * Imports the dataset format of ../shared/bench/gen-dataset.mjs in one transaction. Missing workspaces are created
 * as manual ones; a record whose id, or whose workspace + name, is already stored is skipped.
 */
export function importTokens(core: VaultCore, records: Iterable<ImportRecord>, actor: string): ImportOutcome {
  const { inserted, skipped, workspacesCreated } = importTokenRecords(core, records, { actor, match: 'id-or-name' });
  return { inserted, skipped, workspacesCreated };
}

/**
 * Imports records in ONE transaction, deciding under the write lock which are already stored (see ImportMatch), so
 * two imports of the same file at once, or one run twice, never store a token twice. Records of the same batch count
 * as stored for the ones after them. `dryRun` decides the same way and writes nothing (the window's preview).
 */
export function importTokenRecords(
  core: VaultCore,
  records: Iterable<ImportRecord>,
  options: { actor: string; match: ImportMatch; dryRun?: boolean },
): DetailedImportOutcome {
  const key = core.key();
  const list = [...records];
  const now = new Date().toISOString();
  const outcome: DetailedImportOutcome = { inserted: 0, skipped: 0, workspacesCreated: 0, results: [] };
  // A keyed fingerprint: equal secrets compare equal without either being kept beside the other, and nothing
  // derived from a secret is ever stored. The key is derived from the data key for this import only.
  const fingerprintKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'Token Vault import fingerprint v1', 32));
  const fingerprint = (secret: string | null | undefined) =>
    secret === null || secret === undefined ? Buffer.alloc(0) : createHmac('sha256', fingerprintKey).update(secret, 'utf8').digest();
  try {
    core.write(() => {
      // Under the write lock the caches are exact: nobody else can commit until this transaction ends.
      const tokens = freshTokens(core);
      const wsByName = new Map<string, string>();
      for (const ws of freshWorkspaces(core).values()) wsByName.set(ws.name, ws.id);
      // Fingerprints are computed only when two names meet: a stored token's (decrypting its secret), or an earlier
      // record's of this batch (`pending`, its secret still in hand).
      type Known = { id: string; fingerprint: Buffer | null; pending?: string | null };
      const byName = new Map<string, Known[]>();
      for (const t of tokens.values()) {
        const k = `${t.workspaceId}\u0000${t.name}`;
        byName.set(k, [...(byName.get(k) ?? []), { id: t.id, fingerprint: null }]);
      }
      // The rows were checked by freshTokens in this transaction: secret_rev is the one their shards vouch for.
      const storedSecret = core.prepared('SELECT secret_rev, secret FROM tokens WHERE id = ?').raw();
      const fingerprintOf = (entry: Known): Buffer => {
        if (entry.fingerprint) return entry.fingerprint;
        if (entry.pending !== undefined) entry.fingerprint = fingerprint(entry.pending);
        else {
          const [rev, blob] = (storedSecret.get(entry.id) as [number, Buffer | null] | undefined) ?? [0, null];
          entry.fingerprint = fingerprint(blob ? openSecret(key, entry.id, rev, blob) : null);
        }
        delete entry.pending;
        return entry.fingerprint;
      };
      const exists = core.prepared('SELECT 1 FROM tokens WHERE id = ?').pluck();
      const batchIds = new Set<string>();
      const fresh: TokenSummary[] = [];
      const secrets: (string | null)[] = [];
      for (const rec of list) {
        let wsId = wsByName.get(rec.workspace);
        if (wsId === undefined) {
          // A preview only needs an id to group the records; nothing is written.
          wsId = options.dryRun ? randomUUID() : insertWorkspaceRow(core, { kind: 'manual', name: rec.workspace }, now);
          wsByName.set(rec.workspace, wsId);
          outcome.workspacesCreated++;
        }
        const id = rec.id && /^[0-9a-f-]{8,64}$/i.test(rec.id) ? rec.id : randomUUID();
        const nameKey = `${wsId}\u0000${rec.name}`;
        const sameName = byName.get(nameKey) ?? [];
        let result: ImportRecordResult = 'inserted';
        let tokenId = id;
        if (batchIds.has(id) || exists.get(id)) result = 'same-id';
        else if (sameName.length > 0 && options.match === 'id-or-name') {
          result = 'same-name';
          tokenId = sameName[0]?.id ?? id;
        } else if (sameName.length > 0) {
          const mine = fingerprint(rec.secret);
          const match = sameName.find((e) => {
            const theirs = fingerprintOf(e);
            return theirs.length === mine.length && timingSafeEqual(theirs, mine);
          });
          if (match) {
            result = 'same-name-and-secret';
            tokenId = match.id;
          }
        }
        outcome.results.push({ result, tokenId });
        if (result !== 'inserted') {
          outcome.skipped++;
          continue;
        }
        batchIds.add(id);
        byName.set(nameKey, [...sameName, { id, fingerprint: null, pending: rec.secret ?? null }]);
        fresh.push(
          tokenFromInput(
            id,
            {
              workspaceId: wsId,
              name: rec.name,
              description: rec.description ?? null,
              prefix: rec.prefix ?? null,
              scopes: rec.scopes ?? [],
              url: rec.url ?? null,
              notes: rec.notes ?? null,
              expiresAt: rec.expiresAt ?? null,
              ...(rec.createdAt ? { createdAt: rec.createdAt } : {}),
            },
            now,
          ),
        );
        secrets.push(rec.secret ?? null);
      }
      // A preview stops here: the same decisions as the import, and nothing written.
      if (options.dryRun) {
        outcome.inserted = fresh.length;
        return;
      }
      const shardIds = pickShard(core, fresh.length);
      // Each shard is read and checked before any of its rows changes (token-store.ts, ShardWrite).
      const shards = new ShardWrite(core);
      for (const shardId of new Set(shardIds)) shards.fields(shardId);
      fresh.forEach((s, i) => {
        const shardId = shardIds[i] ?? 1;
        insertTokenRow(core, s, shardId, secrets[i] ?? null);
        shards.set(shardId, s.id, fieldsOf(s));
      });
      appendAuditRows(core, key, fresh.map((s) => ({ action: 'imported', tokenId: s.id, workspaceId: s.workspaceId, actor: options.actor })));
      shards.flush();
      outcome.inserted = fresh.length;
    });
  } finally {
    wipe(fingerprintKey);
    // Many rows changed at once: reload on next read rather than patch the caches.
    core.forgetCaches();
  }
  if (!options.dryRun) core.touchAll();
  return outcome;
}
