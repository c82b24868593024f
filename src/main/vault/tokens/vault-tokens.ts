import type { VaultCore } from '../db/vault-core';
import { notFound } from '../db/vault-core';
import type {
  AuditAction,
  ImportOutcome,
  ImportRecord,
  NewToken,
  ReminderFacts,
  TokenBatch,
  TokenBatchOutcome,
  TokenFilter,
  TokenPatch,
  TokenSummary,
} from '../db/vault-types';
import { applyTokenBatch } from './token-batch';
import { importTokens } from './token-import';
import * as records from './token-records';
import { searchTokens } from './token-search';

/** The vault's tokens: `vault.tokens`. Summaries never hold a secret; `readSecret` is the one explicit read. */
export interface VaultTokens {
  insert(input: NewToken, actor?: string): TokenSummary;
  /**
   * Stores a token whose secret a service has just issued, durably (synchronous=FULL) before it returns; if storing
   * fails, the error carries the secret (AppFailure.unsavedSecret) so it is never lost.
   */
  storeIssued(input: NewToken, actor?: string): TokenSummary;
  /** Sets or clears a token's secret (e.g. after regenerate), with the same hand-back as storeIssued. */
  setSecret(id: string, secret: string | null, actor?: string): void;
  update(id: string, patch: TokenPatch, actor?: string): TokenSummary;
  /** Many inserts and patches of one workspace in one transaction; see token-batch.ts. */
  applyBatch(workspaceId: string, plan: TokenBatch | ((current: TokenSummary[]) => TokenBatch), actor?: string): TokenBatchOutcome;
  find(id: string): TokenSummary | undefined;
  get(id: string): TokenSummary;
  findByRemoteId(workspaceId: string, remoteId: string): TokenSummary | undefined;
  /** Tokens of a workspace whose name matches exactly (case-insensitive when no exact match). */
  findByName(workspaceId: string, name: string): TokenSummary[];
  list(filter?: TokenFilter): TokenSummary[];
  /** Case-insensitive substring over name, workspace name, description, prefix, type, scopes, URL and notes. */
  search(query: string): TokenSummary[];
  /** The plaintext secret (null when none is stored). Pass `audit` to record the reveal/copy in the same step. */
  readSecret(id: string, audit?: { action: AuditAction; actor?: string; detail?: string }): string | null;
  /** Several secrets, each reading audited, in one transaction (null for a token without one). */
  readSecrets(ids: readonly string[], audit: { action: AuditAction; actor?: string; detail?: string }): Map<string, string | null>;
  /** Every stored secret by token id, for comparison only (scan): not audited, never to be shown. */
  readAllSecrets(): Map<string, string>;
  remove(id: string, options?: { actor?: string }): void;
  /** The dataset format of bench/synthetic-tokens.ts, in one transaction; see token-import.ts. */
  import(records: Iterable<ImportRecord>, actor?: string): ImportOutcome;
  /** Clear facts for reminders and badges (of `ids` only, when given): works while the vault is locked. */
  reminderFacts(ids?: readonly string[]): ReminderFacts[];
  count(): number;
  /** Every token id (clear: no decryption, works while locked). */
  ids(): string[];
}

export function vaultTokens(core: VaultCore, shareMarks: () => records.ShareReminderMarks): VaultTokens {
  const find = (id: string) => records.findToken(core, id);
  return {
    insert: (input, actor = 'app') => records.insertToken(core, input, actor),
    storeIssued: (input, actor = 'app') => records.storeIssuedToken(core, input, actor),
    setSecret: (id, secret, actor = 'app') => records.setTokenSecret(core, id, secret, actor),
    update: (id, patch, actor) => records.updateToken(core, id, patch, actor),
    applyBatch: (workspaceId, plan, actor = 'app') => applyTokenBatch(core, workspaceId, plan, actor),
    find,
    get: (id) => {
      const t = find(id);
      if (!t) throw notFound('The token');
      return t;
    },
    findByRemoteId: (workspaceId, remoteId) => records.findTokenByRemoteId(core, workspaceId, remoteId),
    findByName: (workspaceId, name) => records.findTokensByName(core, workspaceId, name),
    list: (filter = {}) => records.listTokens(core, filter),
    search: (query) => searchTokens(core, query),
    readSecret: (id, audit) => records.readSecret(core, id, audit),
    readSecrets: (ids, audit) => records.readSecrets(core, ids, audit),
    readAllSecrets: () => records.readAllSecrets(core),
    remove: (id, options = {}) => records.removeToken(core, id, options),
    import: (input, actor = 'cli') => importTokens(core, input, actor),
    reminderFacts: (ids) => records.listReminderFacts(core, ids, shareMarks),
    count: () => records.countTokens(core),
    ids: () => records.tokenIds(core),
  };
}
