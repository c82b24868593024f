import type { AppError } from '../../../shared/result';
import { ErrorNote } from './error-note';

/**
 * The re-auth part of a form (reveal, copy): the master password, or on a keychain-only vault an explicit
 * confirmation; then the failure and the two buttons. The password goes to main and no further.
 */
export function ReauthFields(props: {
  needsPassword: boolean;
  password: string;
  onPassword(value: string): void;
  /** "show this secret on screen", "copy this snippet". */
  purpose: string;
  error: AppError | undefined;
  busy: boolean;
  submitLabel: string;
  onCancel(): void;
}) {
  return (
    <>
      {props.needsPassword ? (
        <label>
          Master password
          <input type="password" autoComplete="current-password" required data-autofocus value={props.password} onChange={(e) => props.onPassword(e.target.value)} />
        </label>
      ) : (
        <p>Your vault opens with the system keychain. Confirm that you want to {props.purpose}.</p>
      )}
      <ErrorNote error={props.error} />
      <div className="row">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={props.busy}>
          {props.submitLabel}
        </button>
      </div>
    </>
  );
}
