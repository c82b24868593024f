import { readFileSync } from 'node:fs';
import { AppFailure } from '../../main/errors';
import { parseDotenv } from '../../main/use-cases/references/dotenv-parser';
import { resolveSecrets } from '../../main/use-cases/references/reference-resolver';
import { looksLikeReference } from '../../main/use-cases/references/secret-reference';
import { UsageError, type CliCommand } from '../cli-command';
import { isSecretEnvVar } from '../cli-env';
import { withVault } from '../open-vault';
import { dotenvProblemWords, referenceProblemWords } from '../reference-words';
import { findExecutable, runChild } from '../run/child-runner';


export const runCommand: CliCommand = {
  summary:
    'Run COMMAND with each tv://W/N in its environment or --env-file resolved, output masked; exits with its status.',
  usage: 'run [--env-file FILE]... [--no-masking] -- COMMAND [ARGS...]',
  options: {
    'env-file': { type: 'string', multiple: true },
    'no-masking': { type: 'boolean' },
  },
  positionals: [1, Number.POSITIVE_INFINITY],
  async run(ctx, { values, positionals }) {
    const [command, ...args] = positionals as [string, ...string[]];
    if (command === '') throw new UsageError('No command given: token-vault run -- COMMAND [ARGS...]');
    const env: NodeJS.ProcessEnv = { ...ctx.env };
    for (const file of (values['env-file'] as string[] | undefined) ?? []) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new AppFailure('not-found', `Cannot read env file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Nothing was run.`);
      }
      const parsed = parseDotenv(text);
      if (!parsed.ok) throw new AppFailure('invalid-argument', `${file}, line ${parsed.line}: ${dotenvProblemWords(parsed.problem)}. Nothing was run.`);
      for (const e of parsed.entries) env[e.key] = e.value;
    }
    // A command that cannot start is said before any secret is read (and audited) for it.
    const executable = findExecutable(command, env);
    if ('problem' in executable)
      throw new AppFailure(executable.problem === 'not-found' ? 'not-found' : 'invalid-argument', `${command}: ${executable.problem === 'not-found' ? 'command not found' : 'not executable'}. Nothing was run.`);
    const wanted = Object.entries(env).flatMap(([name, text]) => (text !== undefined && looksLikeReference(text) ? [{ name, text }] : []));
    let secrets: string[] = [];
    if (wanted.length > 0) {
      secrets = await withVault(ctx, (vault) => {
        // argv[0] only: arguments may carry anything, and the audit log is kept for years.
        const resolved = resolveSecrets(vault, wanted, { actor: 'cli', detail: `run: ${command}` });
        if (!resolved.ok) {
          const lines = resolved.failures.map((f) => `${f.name}: ${referenceProblemWords(f.text, f)}`);
          throw new AppFailure(resolved.failures.some((f) => f.problem.startsWith('unknown') || f.problem === 'no-secret') ? 'not-found' : 'invalid-argument', `${lines.join('\ntoken-vault: ')}\ntoken-vault: Nothing was run.`);
        }
        for (const [name, secret] of resolved.values) env[name] = secret;
        return resolved.tokens.map((t) => t.secret);
      });
    }
    // What unlocks the vault (or a backup, an export) stays with token-vault: the child gets the secrets it asked for.
    for (const name of Object.keys(env)) if (isSecretEnvVar(name)) delete env[name];
    const outcome = await runChild({ command, args, env, mask: values['no-masking'] === true ? null : secrets });
    if (!outcome.started) {
      switch (outcome.reason) {
        case 'not-found':
          throw new AppFailure('not-found', `${command}: command not found.`);
        case 'not-executable':
          throw new AppFailure('invalid-argument', `${command}: not executable.`);
        case 'environment-too-large':
          throw new AppFailure('invalid-argument', `${command} could not start: its environment and arguments are larger than the system allows (E2BIG).`);
        case 'spawn-failed':
          throw new AppFailure('internal', `${command} could not start (${outcome.errno ?? 'error'}).`);
      }
    }
    return outcome.status;
  },
};
