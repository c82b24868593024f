import type { AppError, Result } from '../../../shared/result';
import { useReveal } from './reveal-store';

/** Thrown by `unwrap` so store actions can use try/catch; carries main's safe message and code (never a secret). */
export class CallError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/**
 * The value of a call, or a CallError. A secret the service issued but the vault could not store is shown once,
 * here, for every call (the one-time reveal), and goes no further: the error the caller sees no longer holds it.
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call;
  if (result.ok) return result.value;
  const { unsavedSecret, ...error } = result.error;
  if (unsavedSecret !== undefined) useReveal.getState().showUnsaved(result.error);
  throw new CallError(error);
}

export const toAppError = (e: unknown): AppError =>
  e instanceof CallError ? e.error : { code: 'internal', message: e instanceof Error ? e.message : 'Something went wrong.' };
