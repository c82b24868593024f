import { AppFailure } from '../../main/errors';
import { createKeytarKeychain } from '../../main/vault';
import { restoreBackup, writeBackup } from '../../main/use-cases/transfer/backup-vault';
import { type CliCommand } from '../cli-command';
import { promptHidden } from '../input';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';

export const backupCommand: CliCommand = {
  summary:
    'Write an encrypted, authenticated backup of the whole vault to FILE. It opens with the master password of now, or also with TOKEN_VAULT_BACKUP_PASSWORD when set. Never replaces a file without --force.',
  usage: 'backup FILE [--force]',
  options: { force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const backupPassword = ctx.env['TOKEN_VAULT_BACKUP_PASSWORD'] || undefined;
    if (backupPassword !== undefined && backupPassword.length < 8)
      throw new AppFailure('invalid-argument', 'TOKEN_VAULT_BACKUP_PASSWORD needs at least 8 characters.');
    const report = await withVault(ctx, (vault) =>
      writeBackup(vault, { path: positionals[0] ?? '', replace: values['force'] === true, ...(backupPassword ? { backupPassword } : {}) }),
    );
    if (ctx.json) printJson(ctx, report);
    else
      say(ctx.stdout, `Backed up the vault to ${report.path} (${Math.ceil(report.bytes / 1024)} KiB); it opens with the master password${report.backupPassword ? ' or the backup password' : ''}.`);
  },
};

export const restoreCommand: CliCommand = {
  summary:
    'Restore a backup into the vault path in effect (--vault, TOKEN_VAULT_PATH or the app\'s). Opens with TOKEN_VAULT_BACKUP_PASSWORD, TOKEN_VAULT_PASSWORD (the master password of the time), the OS keychain, or a prompt. An existing vault is replaced only with --force.',
  usage: 'restore FILE [--force]',
  options: { force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const backupPassword = ctx.env['TOKEN_VAULT_BACKUP_PASSWORD'] || undefined;
    const masterPassword = ctx.env['TOKEN_VAULT_PASSWORD'] || undefined;
    const keychain = createKeytarKeychain();
    const ask = () => promptHidden(ctx, 'Master password of the backup (or its backup password): ');
    const report = await restoreBackup({
      backupPath: positionals[0] ?? '',
      vaultPath: ctx.vaultPath,
      replace: values['force'] === true,
      unlock: { ...(backupPassword ? { backupPassword } : {}), ...(masterPassword ? { masterPassword } : {}), keychain, ask },
    });
    if (ctx.json) printJson(ctx, report);
    else
      say(ctx.stdout, `Restored the backup of ${report.createdAt.slice(0, 16).replace('T', ' ')} UTC to ${report.vaultPath}${report.replaced ? ' (the vault that was there is replaced)' : ''}. It unlocks with its master password of that time.`);
  },
};
