import { AppFailure } from '../../main/errors';
import { exportTokens } from '../../main/use-cases/transfer/export-tokens';
import { EXPORT_FORMATS, PLAINTEXT_EXPORT_FORMATS, type ExportFormat } from '../../main/use-cases/transfer/transfer-types';
import { UsageError, type CliCommand } from '../cli-command';
import { promptHidden } from '../input';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';

const isFormat = (f: unknown): f is ExportFormat => typeof f === 'string' && (EXPORT_FORMATS as readonly string[]).includes(f);

/** A new password, from the environment or asked twice. */
async function newPassword(ctx: Parameters<CliCommand['run']>[0], envName: string, what: string): Promise<string> {
  const fromEnv = ctx.env[envName];
  if (fromEnv) return fromEnv;
  let first: string;
  try {
    first = await promptHidden(ctx, `Password for the ${what}: `);
  } catch {
    throw new AppFailure('invalid-argument', `No terminal to ask for the ${what}'s password: set ${envName}.`);
  }
  if ((await promptHidden(ctx, 'Repeat it: ')) !== first) throw new AppFailure('invalid-argument', 'The two passwords differ. Nothing was written.');
  return first;
}

export const exportCommand: CliCommand = {
  summary:
    'Export the tokens with their secrets: a KeePass database KeePassXC opens (its own password from TOKEN_VAULT_EXPORT_PASSWORD or a prompt; Argon2id), or plaintext .env / CSV only with --plaintext. Never replaces a file without --force.',
  usage: `export --format ${EXPORT_FORMATS.join('|')} FILE [--workspace W] [--plaintext] [--force]`,
  options: { format: { type: 'string' }, workspace: { type: 'string' }, plaintext: { type: 'boolean' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const format = values['format'];
    if (!isFormat(format)) throw new UsageError(`--format is required: one of ${EXPORT_FORMATS.join(', ')}.`);
    const plaintext = PLAINTEXT_EXPORT_FORMATS.includes(format);
    if (plaintext && values['plaintext'] !== true)
      throw new UsageError(`--format ${format} writes every secret in plain text: add --plaintext to confirm (or use --format kdbx).`);
    const path = positionals[0] ?? '';
    const workspace = typeof values['workspace'] === 'string' ? values['workspace'] : undefined;
    const password = format === 'kdbx' ? await newPassword(ctx, 'TOKEN_VAULT_EXPORT_PASSWORD', 'KeePass database') : undefined;
    if (plaintext)
      say(ctx.stderr, `token-vault: warning: ${path} will hold the secrets in plain text (file mode 0600). Delete it when you are done.`);
    const report = await withVault(ctx, (vault) =>
      exportTokens(vault, {
        format,
        path,
        replace: values['force'] === true,
        plaintextConfirmed: plaintext,
        ...(password !== undefined ? { password } : {}),
        ...(workspace !== undefined ? { workspace } : {}),
        actor: 'cli',
      }),
    );
    if (ctx.json) printJson(ctx, report);
    else {
      const lines = [`Exported ${report.tokens} token(s) from ${report.workspaces} workspace(s) to ${report.path}.`];
      if (report.withoutSecret) lines.push(`  ${report.withoutSecret} of them have no stored secret (written without one).`);
      for (const s of report.skipped) lines.push(`  left out ${s.name}: its secret cannot be quoted in a .env file`);
      say(ctx.stdout, ...lines);
    }
  },
};
