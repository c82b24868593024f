import type { ErrorCode } from '../../../shared/result';
import { AppFailure } from '../../errors';

/** An AppFailure from a remote call, with what the caller needs to decide what to do next. */
export class RemoteFailure extends AppFailure {
  constructor(
    code: ErrorCode,
    message: string,
    readonly info: {
      status?: number;
      /** The request may have been carried out even though no answer came back (reset, timeout, 502/504). */
      maybeApplied?: boolean;
      retryAfterMs?: number;
      /** A short, redacted message the service gave (for providers that map e.g. a 400 to bad-credential). */
      detail?: string;
    } = {},
  ) {
    super(code, message);
  }
}

export const isRemoteFailure = (e: unknown): e is RemoteFailure => e instanceof RemoteFailure;
