import type { ErrorCode } from '../shared/result';

/**
 * The one error type main-side code throws on purpose. Its message is shown to the user as is,
 * so it must never contain a secret; anything else thrown is reported as `internal`.
 */
export class AppFailure extends Error {
  override readonly name = 'AppFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** A freshly issued secret that could not be stored: handed back so it is never lost. */
    readonly unsavedSecret?: string,
  ) {
    super(message);
  }
}

export const isAppFailure = (e: unknown): e is AppFailure => e instanceof AppFailure;
