import type { AppError, Result } from '../../../shared/result';

/** Thrown by `unwrap` so store actions can use try/catch; carries main's safe message and code. */
export class CallError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

export const toAppError = (e: unknown): AppError =>
  e instanceof CallError ? e.error : { code: 'internal', message: e instanceof Error ? e.message : 'Something went wrong.' };
