import { randomUUID } from 'node:crypto';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { authTable, checkedRows, dropRow, sealRow } from '../db/row-auth';
import { handBackSecret, type VaultCore } from '../db/vault-core';
import type { JournalEntry } from '../db/vault-types';

// The rotation journal (issue 6): one sealed payload per rotation, rewritten at each step. Its rows are
// authenticated (db/row-auth.ts): an edited step would make a resume act on the wrong assumption.
const JOURNAL = authTable('rotation_journal', 'rotation step', ['id', 'token_id', 'step', 'payload', 'owner', 'created_at', 'updated_at', 'rev']);

/**
 * Writes a step (FULL sync). `secret`: a fresh secret the payload carries; if the write fails it is handed back in
 * the error (AppFailure.unsavedSecret), exactly as a failed token write hands it back.
 */
export function putJournal(core: VaultCore, entry: { id?: string; tokenId: string; step: string; payload: unknown }, secret?: string): JournalEntry {
  try {
    return writeJournal(core, entry);
  } catch (error) {
    throw handBackSecret(error, secret);
  }
}

function writeJournal(core: VaultCore, entry: { id?: string; tokenId: string; step: string; payload: unknown }): JournalEntry {
  const key = core.key();
  const id = entry.id ?? randomUUID();
  const now = new Date().toISOString();
  const payload = sealText(key, JSON.stringify(entry.payload ?? null), aad('rotation_journal', id, 'payload'));
  core.write(() => {
    core
      .prepared(
        `INSERT INTO rotation_journal (id, token_id, step, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET token_id = excluded.token_id, step = excluded.step, payload = excluded.payload,
         updated_at = excluded.updated_at`,
      )
      .run(id, entry.tokenId, entry.step, payload, now, now);
    sealRow(core, JOURNAL, id);
  });
  return getJournal(core, id) as JournalEntry;
}

export function getJournal(core: VaultCore, id: string): JournalEntry | undefined {
  return listJournalWhere(core, 'id = ?', [id])[0];
}

export function listJournal(core: VaultCore, tokenId?: string): JournalEntry[] {
  return tokenId === undefined ? listJournalWhere(core, '1', []) : listJournalWhere(core, 'token_id = ?', [tokenId]);
}

export function removeJournal(core: VaultCore, id: string): void {
  core.write(() => {
    if (core.prepared('DELETE FROM rotation_journal WHERE id = ?').run(id).changes > 0) dropRow(core, JOURNAL, id);
  });
}

function listJournalWhere(core: VaultCore, where: string, args: unknown[]): JournalEntry[] {
  const key = core.key();
  const rows = checkedRows<{ id: string; token_id: string; step: string; payload: Buffer; created_at: string; updated_at: string }>(
    core,
    JOURNAL,
    `${where} ORDER BY created_at, id`,
    args,
    { whole: where === '1' },
  );
  return rows.map((r) => ({
    id: r.id,
    tokenId: r.token_id,
    step: r.step,
    payload: JSON.parse(openText(key, r.payload, aad('rotation_journal', r.id, 'payload'), `The rotation step ${r.id}`)) as unknown,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** The rotation journal: `vault.journal`. Steps are strings here; the rotation use case types them. */
export interface VaultJournal {
  /** `secret`: the fresh secret the payload carries, handed back in the error if the write fails. */
  put(entry: { id?: string; tokenId: string; step: string; payload: unknown }, secret?: string): JournalEntry;
  get(id: string): JournalEntry | undefined;
  list(tokenId?: string): JournalEntry[];
  remove(id: string): void;
}

export const vaultJournal = (core: VaultCore): VaultJournal => ({
  put: (entry, secret) => putJournal(core, entry, secret),
  get: (id) => getJournal(core, id),
  list: (tokenId) => listJournal(core, tokenId),
  remove: (id) => removeJournal(core, id),
});
