import type { VaultSettings, VaultTransfer, Workspace } from '../../vault';

/** What the transfer use cases need of an open, unlocked vault (the Vault class fits each). */

export interface ImportVault {
  transfer: Pick<VaultTransfer, 'import'>;
}

export interface ExportVault {
  workspaces: { findByName(name: string): Workspace | undefined };
  transfer: Pick<VaultTransfer, 'readForExport'>;
}

export interface BackupVault {
  transfer: Pick<VaultTransfer, 'snapshot' | 'sealUnderDataKey'>;
  settings: { get(): Pick<VaultSettings, 'dailyBackupKeepDays'> };
}
