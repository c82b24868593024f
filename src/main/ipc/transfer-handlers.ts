import { guessImportFormat } from '../../shared/transfer';
import type { transferChannels } from '../../shared/ipc/transfer-channels';
import { previewRead, importRead, readImportFile } from '../use-cases/transfer/import-tokens';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/**
 * transfer:* — importing a file in the window: the OS dialog picks it (main keeps the path), a preview says what
 * would happen, the import does it in one transaction. The file is read again for the import, so what is imported
 * is what is in the file then, decided under the vault's write lock.
 */
export function createTransferHandlers({ session, dialogs, chosenFiles }: Pick<HandlerContext, 'session' | 'dialogs' | 'chosenFiles'>): HandlersOf<typeof transferChannels> {
  const read = async (input: { fileId: string; format: Parameters<typeof readImportFile>[0]; password?: string | undefined }) =>
    readImportFile(input.format, chosenFiles.path(input.fileId), async () => input.password ?? '');
  const target = (input: { fileId: string; format: Parameters<typeof readImportFile>[0]; workspace?: string | undefined }) => ({
    format: input.format,
    path: chosenFiles.path(input.fileId),
    ...(input.workspace ? { workspace: input.workspace } : {}),
    actor: 'app',
  });
  return {
    'transfer:choose-import-file': async () => {
      session.requireUnlocked();
      const path = await dialogs.chooseFile('import');
      if (path === null) return null;
      const chosen = chosenFiles.add(path);
      return { ...chosen, format: guessImportFormat(chosen.fileName) };
    },
    'transfer:preview-import': async (input) => {
      const vault = session.requireUnlocked();
      return previewRead(vault, target(input), await read(input));
    },
    'transfer:import': async (input) => {
      const vault = session.requireUnlocked();
      const report = importRead(vault, target(input), await read(input));
      chosenFiles.forget(input.fileId);
      return report;
    },
  };
}
