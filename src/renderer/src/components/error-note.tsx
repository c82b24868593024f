import type { AppError } from '../../../shared/result';

/** A failure in words the user can act on; main already made the message safe to show. */
export function ErrorNote({ error }: { error?: AppError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error.message}
    </p>
  );
}
