import type { ErrorCode, InputField, NextStep } from '../shared/result';

/**
 * The one error type main-side code throws on purpose. Its message says what happened and is shown to the user as
 * is, so it must never contain a secret; what to do next is `next`, worded by the command line or the window.
 * Anything else thrown is reported as `internal`.
 */
export class AppFailure extends Error {
  override readonly name = 'AppFailure';
  /** A freshly issued secret that could not be stored: handed back so it is never lost. */
  readonly unsavedSecret?: string;
  /** What the user must do next, for the presenter to word. */
  readonly next?: NextStep;
  /** The input the problem is about, for the presenter to point at (a form field, a flag). */
  readonly field?: InputField;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { unsavedSecret?: string; next?: NextStep; field?: InputField } = {},
  ) {
    super(message);
    if (extra.unsavedSecret !== undefined) this.unsavedSecret = extra.unsavedSecret;
    if (extra.next !== undefined) this.next = extra.next;
    if (extra.field !== undefined) this.field = extra.field;
  }
}

export const isAppFailure = (e: unknown): e is AppFailure => e instanceof AppFailure;
