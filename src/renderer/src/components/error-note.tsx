import { useEffect, useRef } from 'react';
import type { AppError } from '../../../shared/result';
import { errorText } from '../lib/words';

/** A failure in words the user can act on: main's safe message, and the next step in the window's terms. */
export function ErrorNote({ error }: { error?: AppError | undefined }) {
  const ref = useRef<HTMLParagraphElement>(null);
  // In a tall dialog the failure may land below the fold: bring it into view.
  useEffect(() => {
    if (error) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  if (!error) return null;
  return (
    <p role="alert" className="error" ref={ref}>
      {errorText(error)}
    </p>
  );
}
