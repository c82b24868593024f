import { z } from 'zod';
import { FILE_IMPORT_FORMATS, type FileImportFormat, type ImportPreview, type ImportReport } from '../transfer';
import { MUTATES, returns } from './define-channel';

/** A file the user picked in the OS dialog (main keeps its path), with the format its name suggests. */
export interface ChosenImportFile {
  fileId: string;
  fileName: string;
  format: FileImportFormat | null;
}

export const ImportFileInput = z
  .object({
    fileId: z.uuid(),
    format: z.enum(FILE_IMPORT_FORMATS),
    /** Every token goes into this workspace (a manual one is created if new) instead of the file's own groups. */
    workspace: z.string().trim().min(1).max(120).optional(),
    /** The KeePass database's own password (kdbx only). */
    password: z.string().max(1024).optional(),
  })
  .strict();

export const transferChannels = {
  /** Shows the OS file dialog in main; null when the user cancels. */
  'transfer:choose-import-file': returns<ChosenImportFile | null>().takes(z.undefined()),
  /** Reads the file and decides what an import would do, writing nothing: names and places, never a secret. */
  'transfer:preview-import': returns<ImportPreview>().takes(ImportFileInput),
  /** Imports the file in one transaction (skipping what the preview called duplicates). */
  'transfer:import': returns<ImportReport>().takes(ImportFileInput, MUTATES),
} as const;
