import type { VaultCore } from '../db/vault-core';
import type { DetailedImportOutcome, ExportedToken, ImportMatch, ImportRecord, Workspace } from '../db/vault-types';
import { importTokenRecords } from '../tokens/token-import';
import { sealUnderDataKey, snapshotVault, type VaultImage } from './vault-backup';
import { readTokensForExport } from './vault-export';

/**
 * Moving tokens in and out of the vault, and the vault as one file (issue 15): `vault.transfer`. Each is one
 * transaction; the data key never leaves the vault (a backup's payload key is sealed under it here).
 */
export interface VaultTransfer {
  /**
   * Imports records in one transaction, deciding "already stored?" under the write lock (see token-import.ts);
   * with `dryRun`, decides the same and writes nothing.
   */
  import(records: Iterable<ImportRecord>, options: { actor: string; match: ImportMatch; dryRun?: boolean }): DetailedImportOutcome;
  /** Every token (of one workspace, or all) with its secret, in one transaction, each audited 'exported'. */
  readForExport(options: { actor: string; workspaceId?: string }): { workspaces: Workspace[]; tokens: ExportedToken[] };
  /** A consistent image of the whole vault file and copies of its key slots, for a backup; see vault-backup.ts. */
  snapshot(): VaultImage;
  /** Seals a backup's payload key under the data key (which never leaves the vault). */
  sealUnderDataKey(plain: Buffer, ad: Buffer): Buffer;
}

export const vaultTransfer = (core: VaultCore): VaultTransfer => ({
  import: (records, options) => importTokenRecords(core, records, options),
  readForExport: (options) => readTokensForExport(core, options),
  snapshot: () => snapshotVault(core),
  sealUnderDataKey: (plain, ad) => sealUnderDataKey(core, plain, ad),
});
