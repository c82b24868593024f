import { AppFailure } from '../main/errors';

/**
 * Every environment variable token-vault reads, in ONE list (a test checks the sources against it), so `run` can
 * keep each secret one from its command and the CLI can take them out of its own environment as soon as it starts.
 */
export const CLI_ENV_VARS = [
  'TOKEN_VAULT_PATH',
  'TOKEN_VAULT_PASSWORD',
  'TOKEN_VAULT_NEW_PASSWORD',
  'TOKEN_VAULT_ADMIN_SECRET',
  'TOKEN_VAULT_BACKUP_PASSWORD',
  'TOKEN_VAULT_IMPORT_PASSWORD',
  'TOKEN_VAULT_EXPORT_PASSWORD',
  'TOKEN_VAULT_TZ',
  'TOKEN_VAULT_DEBUG',
  'TOKEN_VAULT_LOG_LEVEL',
  'TOKEN_VAULT_USER_DATA',
  'TOKEN_VAULT_TEST_CRASH_AT',
  'TOKEN_VAULT_DEVICE_NAME',
] as const;

export type CliEnvVar = (typeof CLI_ENV_VARS)[number];

/** A variable of ours named like a credential is one, listed or not (a future one cannot be forgotten). */
export function isSecretEnvVar(name: string): boolean {
  return /^TOKEN_VAULT_\w*(PASSWORD|SECRET|TOKEN|KEY)$/.test(name);
}

/** The secret variables token-vault reads: never passed to a command it runs. */
export const SECRET_ENV_VARS: readonly CliEnvVar[] = CLI_ENV_VARS.filter(isSecretEnvVar);

/**
 * A copy of `env` for the CLI to read; when `env` is this process's own environment, the secret variables are deleted
 * from it, so nothing started later (a child, a library that spawns) inherits them. On Linux this does not change
 * /proc/PID/environ, which still shows the initial environment to code running as the same user.
 */
export function takeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  if (env === process.env) for (const name of Object.keys(env)) if (isSecretEnvVar(name)) delete process.env[name];
  return copy;
}

/** A password variable's value; set but empty is an error that says so (not "set it", which it already is). */
export function passwordFromEnv(env: NodeJS.ProcessEnv, name: CliEnvVar): string | undefined {
  const value = env[name];
  if (value === '') throw new AppFailure('invalid-argument', `${name} is set but empty: put the password in it, or unset it to be asked.`);
  return value;
}
