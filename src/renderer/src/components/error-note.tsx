import type { AppError } from '../../../shared/result';
import { errorText } from '../lib/words';

/** A failure in words the user can act on: main's safe message, and the next step in the window's terms. */
export function ErrorNote({ error }: { error?: AppError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {errorText(error)}
    </p>
  );
}
