import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppFailure } from '../../errors';
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
export function putJournal(core: VaultCore, entry: JournalPut, secret?: string): JournalEntry {
  try {
    return writeJournal(core, entry);
  } catch (error) {
    throw handBackSecret(error, secret);
  }
}

export interface JournalPut {
  id?: string;
  tokenId: string;
  step: string;
  payload: unknown;
  /**
   * A new entry that claims its token (issue 10 item 1): in the same BEGIN IMMEDIATE transaction as the insert, it is
   * refused with rotation-in-progress when the token (or the token it replaces) already has an entry, so across
   * processes (the app and the command line) only one remote operation on a token is ever in flight.
   */
  claim?: boolean;
}

/** Which process wrote an entry (pid@host), kept for diagnosis beside the step. */
const OWNER = `${process.pid}@${hostname()}`;

export const rotationBusy = (tokenId: string) =>
  new AppFailure('rotation-in-progress', `A rotation of token ${tokenId} is already in progress or unfinished; nothing was sent to the service.`);

function writeJournal(core: VaultCore, entry: JournalPut): JournalEntry {
  const key = core.key();
  const id = entry.id ?? randomUUID();
  const now = new Date().toISOString();
  const payload = sealText(key, JSON.stringify(entry.payload ?? null), aad('rotation_journal', id, 'payload'));
  core.write(() => {
    if (entry.claim) {
      const busy = core
        .prepared('SELECT 1 FROM rotation_journal WHERE id <> ? AND (token_id = ? OR token_id IN (SELECT replaces_id FROM tokens WHERE id = ?))')
        .get(id, entry.tokenId, entry.tokenId);
      if (busy) throw rotationBusy(entry.tokenId);
    }
    core
      .prepared(
        `INSERT INTO rotation_journal (id, token_id, step, payload, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET token_id = excluded.token_id, step = excluded.step, payload = excluded.payload,
         owner = excluded.owner, updated_at = excluded.updated_at`,
      )
      .run(id, entry.tokenId, entry.step, payload, OWNER, now, now);
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

/** A re-key (issue 10 item 9), inside its write: every step read and checked now; rewritten by the function. */
export function rekeyJournal(core: VaultCore): () => void {
  const entries = listJournal(core);
  return () => {
    const key = core.key();
    const update = core.prepared('UPDATE rotation_journal SET payload = ? WHERE id = ?');
    for (const e of entries) {
      update.run(sealText(key, JSON.stringify(e.payload ?? null), aad('rotation_journal', e.id, 'payload')), e.id);
      sealRow(core, JOURNAL, e.id);
    }
  };
}

/** The rotation journal: `vault.journal`. Steps are strings here; the rotation use case types them. */
export interface VaultJournal {
  /** `secret`: the fresh secret the payload carries, handed back in the error if the write fails. */
  put(entry: JournalPut, secret?: string): JournalEntry;
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
