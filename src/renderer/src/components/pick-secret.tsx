import { useState } from 'react';
import type { SecretCandidateDto } from '../../../shared/ipc/share-channels';
import type { AppError } from '../../../shared/result';
import { formatDate } from '../lib/format';
import { ErrorNote } from './error-note';

/**
 * "Two secrets: pick one": two devices set this record's secret (a token's, or a workspace's admin credential) at once
 * and both were kept. Lists who set each and when (never the secrets), and keeps the one chosen; the next sync shares
 * the pick. `onPicked`: after a pick (the caller reads what changed).
 */
export function PickSecret({ recordId, name, onPicked }: { recordId: string; name: string; onPicked?: () => void }) {
  const [candidates, setCandidates] = useState<SecretCandidateDto[]>();
  const [error, setError] = useState<AppError>();
  const load = async () => {
    const r = await window.tokenVault.share.listCandidates({ recordId });
    if (r.ok) setCandidates(r.value);
    else setError(r.error);
  };
  const pick = async (index: number) => {
    const r = await window.tokenVault.share.pickSecret({ recordId, index });
    if (r.ok) {
      setCandidates(undefined);
      onPicked?.();
    } else setError(r.error);
  };
  return (
    <>
      {candidates ? (
        <div role="group" aria-label={`Secrets of ${name}`}>
          {candidates.map((c) => (
            <button key={c.index} type="button" className="small" onClick={() => void pick(c.index)}>
              Keep the one {c.setBy} set {formatDate(c.setAt)}
            </button>
          ))}
        </div>
      ) : (
        <button type="button" className="small" onClick={() => void load()}>
          Pick one…
        </button>
      )}
      <ErrorNote error={error} />
    </>
  );
}
