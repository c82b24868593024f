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
}

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
  'too-many-attempts',
  'keychain-unavailable',
  'vault-corrupt',
  'vault-tampered',
  'vault-too-new',
  'vault-busy',
  'not-found',
  'already-exists',
  // remote services
  'bad-credential',
  'remote-forbidden',
  'remote-not-found',
  'remote-conflict',
  'rate-limited',
  'server-error',
  'network',
  'tls',
  'timeout',
  'unexpected-response',
  'unsupported',
  'insecure-url',
  // rotation
  'rotation-in-progress',
  'secret-not-stored',
  // sharing over git
  'share-not-empty',
  'share-not-member',
  'share-untrusted',
  'share-busy',
  'share-local-changed',
  'share-push-rejected',
  'git-failed',
  'git-unavailable',
  // last resort
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
});
