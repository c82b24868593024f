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

/**
 * A file dropped on the window, as the preload hands it to main: the path comes from Electron's
 * webUtils.getPathForFile in the preload, never from the page (the page has no function that sends this channel;
 * see PRELOAD_ONLY_CHANNELS). Main still checks it as untrusted: an absolute path to a regular file, capped in size.
 */
export const DroppedFileInput = z.object({ path: z.string().max(4096) }).strict();

export const transferChannels = {
  /** Shows the OS file dialog in main; null when the user cancels. */
  'transfer:choose-import-file': returns<ChosenImportFile | null>().takes(z.undefined()),
  /** Preload only: keeps a dropped file's path in main behind an id, as the OS dialog does. */
  'transfer:accept-dropped-file': returns<ChosenImportFile>().takes(DroppedFileInput),
  /** Reads the file and decides what an import would do, writing nothing: names and places, never a secret. */
  'transfer:preview-import': returns<ImportPreview>().takes(ImportFileInput),
  /** Imports the file in one transaction (skipping what the preview called duplicates). */
  'transfer:import': returns<ImportReport>().takes(ImportFileInput, MUTATES),
} as const;
