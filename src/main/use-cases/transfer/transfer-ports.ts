import type {
  DetailedImportOutcome,
  ExportedToken,
  ImportMatch,
  ImportRecord,
  VaultImage,
  VaultSettings,
  Workspace,
} from '../../vault';

/** What the transfer use cases need of an open, unlocked vault (the Vault class fits each). */

export interface ImportVault {
  importTokenRecords(records: Iterable<ImportRecord>, options: { actor: string; match: ImportMatch }): DetailedImportOutcome;
}

export interface ExportVault {
  findWorkspaceByName(name: string): Workspace | undefined;
  readTokensForExport(options: { actor: string; workspaceId?: string }): { workspaces: Workspace[]; tokens: ExportedToken[] };
}

export interface BackupVault {
  snapshot(): VaultImage;
  sealUnderDataKey(plain: Buffer, ad: Buffer): Buffer;
  getSettings(): Pick<VaultSettings, 'dailyBackupKeepDays'>;
}
