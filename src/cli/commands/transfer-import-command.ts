import { AppFailure } from '../../main/errors';
import { importRead, readImportFile, type FileFormat } from '../../main/use-cases/transfer/import-tokens';
import { checkInputFile } from '../../main/use-cases/transfer/transfer-files';
import { IMPORT_FORMATS, type ImportFormat, type ImportReport } from '../../main/use-cases/transfer/transfer-types';
import { UsageError, type CliCommand } from '../cli-command';
import { SKIP_WORDS } from '../cli-words';
import { promptHidden } from '../input';
import { openVault, withVault } from '../open-vault';
import { printJson, say } from '../output';
import { importCommand as jsonlImportCommand } from './import-command';

const isFormat = (f: unknown): f is ImportFormat => typeof f === 'string' && (IMPORT_FORMATS as readonly string[]).includes(f);

export const transferImportCommand: CliCommand = {
  summary:
    'Import tokens in one transaction from a KeePass database, a 1Password or Bitwarden export, a .env or a CSV file (KeePass password from TOKEN_VAULT_IMPORT_PASSWORD or a prompt). Running it again adds nothing.',
  usage: `import --format ${IMPORT_FORMATS.join('|')} FILE [--workspace W]`,
  options: { format: { type: 'string' }, workspace: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, args) {
    const format = args.values['format'];
    if (!isFormat(format)) throw new UsageError(`--format is required: one of ${IMPORT_FORMATS.join(', ')}.`);
    const workspace = args.values['workspace'];
    if (format === 'jsonl') {
      if (workspace !== undefined) throw new UsageError('--workspace does not apply to jsonl: each line names its workspace.');
      return jsonlImportCommand.run(ctx, args);
    }
    if (workspace !== undefined && (typeof workspace !== 'string' || workspace.trim() === '' || workspace.includes('/')))
      throw new UsageError('--workspace takes a workspace name (without "/").');
    const path = args.positionals[0] ?? '';
    const password = async () => {
      const fromEnv = ctx.env['TOKEN_VAULT_IMPORT_PASSWORD'];
      if (fromEnv) return fromEnv;
      try {
        return await promptHidden(ctx, 'KeePass database password: ');
      } catch {
        throw new AppFailure('invalid-argument', 'No terminal to ask for the KeePass database password: set TOKEN_VAULT_IMPORT_PASSWORD.');
      }
    };
    const f: FileFormat = format;
    const input = { format: f, path, ...(typeof workspace === 'string' ? { workspace } : {}), actor: 'cli' };
    let report: ImportReport;
    if (ctx.env['TOKEN_VAULT_PASSWORD']) {
      // Nothing to ask for the vault: its unlock (scrypt, on libuv's threads) runs while this thread reads the file,
      // instead of after it - a fifth of a 10,000-entry KDBX import. The KeePass password is asked for first, once the
      // file is known to be there.
      checkInputFile(path);
      const filePassword = f === 'kdbx' ? await password() : '';
      const opening = openVault(ctx);
      // A wrong master password may reject it while the file is still being read: handled here, reported below.
      opening.catch(() => undefined);
      let read: Awaited<ReturnType<typeof readImportFile>>;
      try {
        read = await readImportFile(f, path, () => Promise.resolve(filePassword));
      } catch (error) {
        // The file's error is the one to report; the vault only closes.
        opening.then((vault) => vault.close(), () => undefined);
        throw error;
      }
      const vault = await opening;
      try {
        report = importRead(vault, input, read);
      } finally {
        vault.close();
      }
    } else {
      // Read the file before opening the vault: a wrong KeePass password or a damaged file asks for no master password.
      const read = await readImportFile(f, path, password);
      report = await withVault(ctx, (vault) => importRead(vault, input, read));
    }
    if (ctx.json) {
      printJson(ctx, {
        format: report.format,
        total: report.total,
        inserted: report.inserted,
        skipped: report.skipped.length,
        workspacesCreated: report.workspacesCreated,
        skippedEntries: report.skipped,
        kdfMs: report.kdfMs,
      });
      return;
    }
    const lines = [
      `Imported ${report.inserted} of ${report.total} token(s); created ${report.workspacesCreated} workspace(s); skipped ${report.skipped.length}.`,
      ...report.skipped.map((s) => `  ${s.where}${s.name ? ` "${s.name}"` : ''}: ${SKIP_WORDS[s.reason]}`),
    ];
    say(ctx.stdout, ...lines);
  },
};
