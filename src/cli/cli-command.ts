import type { ParseArgsConfig } from 'node:util';

/** Wrong use of the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CliValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What every command receives: the global options, and the process's streams (tests spawn the real binary). */
export interface CliContext {
  /** --vault PATH, else TOKEN_VAULT_PATH, else the app's own vault. */
  vaultPath: string;
  json: boolean;
  /** The terminal's width for tables: $COLUMNS, else the terminal's own; undefined when stdout is no terminal. */
  columns: number | undefined;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CliArgs {
  values: CliValues;
  positionals: string[];
}

/**
 * One command. `name` in the registry may be one word (`list`) or two (`workspace add`); the dispatcher picks the
 * longest match. Options are node:util parseArgs options, merged with the global ones.
 */
export interface CliCommand {
  summary: string;
  /** e.g. `list [--workspace W] [--status S] [--expiring 30d]` (without `token-vault`). */
  usage: string;
  /** More lines for `token-vault help COMMAND` (what the options take, what to expect). */
  details?: string[];
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals the command takes: [min, max]. Default [0, 0]. */
  positionals?: [number, number];
  /**
   * Values that may be given as `-` to come from stdin or a prompt instead of argv (names, descriptions, search
   * terms, token references): these option names, and the positionals when `positionals` is true.
   */
  stdinValues?: { options?: readonly string[]; positionals?: boolean };
  /** Returns the exit code (default 0). Throw UsageError (exit 2) or AppFailure (exit 1). */
  run(ctx: CliContext, args: CliArgs): Promise<number | void> | number | void;
}
