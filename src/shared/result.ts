/**
 * The envelope every IPC call and every service operation returns instead of throwing across a boundary.
 * `code` is what the renderer switches on; `message` is safe to show a user and never holds a secret.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface AppError {
  code: ErrorCode;
  message: string;
  /** A secret the operation could not store, handed back so it is never lost (one-time reveal only). */
  unsavedSecret?: string;
  /** What the user must do next; the command line and the window each word it. */
  next?: NextStep;
  /** The input the problem is about (`baseUrl`, `username`...), so a presenter can point at its own field or flag. */
  field?: InputField;
}

/** Inputs an error can point at: workspace fields and token options. */
export type InputField = 'baseUrl' | 'username' | 'adminSecret' | 'tokenPageUrl' | 'type' | 'expiresAt';

/**
 * Next steps main asks of the user, named here and worded by each presenter:
 * `resume` an interrupted rotation, `confirm` a deployed replacement, `paste` a secret made on the service's page,
 * `revoke-by-hand` on a service with no admin API, `sync` the workspace so Token Vault knows the remote token,
 * `rotate` (start a rotation first), `create-new` (the token cannot be renewed: create a new one instead),
 * `create-vault` (there is no vault yet), `push` (mend a deployment target, then write the token's secret to its
 * targets again).
 */
export const NEXT_STEPS = ['resume', 'confirm', 'paste', 'revoke-by-hand', 'sync', 'rotate', 'create-new', 'create-vault', 'push'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export const ERROR_CODES = [
  // caller and contract
  'invalid-argument',
  'forbidden-sender',
  'unknown-channel',
  // vault
  'vault-missing',
  'vault-exists',
  'vault-locked',
  'wrong-password',
  // copying or revealing a secret needs the master password (or a confirmation) again: the last was too long ago
  'reauth-required',
  'too-many-attempts',
  'keychain-unavailable',
  'vault-corrupt',
  'vault-tampered',
  'vault-too-new',
  'vault-busy',
  'not-found',
  'already-exists',
  'already-revoked',
  // remote services
  'bad-credential',
  // a shared change moved a workspace to another origin: its stored credential waits for the user's confirmation
  'credential-unconfirmed',
  'remote-forbidden',
  'remote-not-found',
  'remote-conflict',
  'rate-limited',
  'server-error',
  // no answer: nothing listens at the address, the host name does not resolve, the connection broke, the
  // certificate is not trusted, no answer in time, the user cancelled
  'connection-refused',
  'host-not-found',
  'network',
  'tls',
  'timeout',
  'cancelled',
  'unexpected-response',
  'unsupported',
  'insecure-url',
  // rotation
  'rotation-in-progress',
  'secret-not-stored',
  // deployment targets: the target cannot take the secret as it is (the outcome's `reason` says why)
  'target-refused',
  // sharing over git
  'share-not-empty',
  'share-not-member',
  'share-untrusted',
  'share-busy',
  'share-local-changed',
  'share-push-rejected',
  'git-failed',
  'git-unavailable',
  // files the user chose (an export, a backup folder): the folder is missing, read-only or not a folder
  'cannot-write',
  // a file changed since it was read (a scan's finding is no longer where it was found): read it again
  'file-changed',
  // last resort
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
