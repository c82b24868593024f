import type { ParseArgsConfig } from 'node:util';

/**
 * Options every command accepts, before or after its name. The app's own binary also reads this list: an argument
 * list that holds one of these (or a command word) starts the command line instead of the window.
 */
export const GLOBAL_OPTIONS = {
  vault: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
