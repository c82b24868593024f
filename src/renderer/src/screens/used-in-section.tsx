import { useCallback, useEffect, useState } from 'react';
import type { DeployProgress, DeploymentTargetRecord } from '../../../shared/deployment-targets';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { AddTargetDialog } from '../dialogs/add-target-dialog';
import { progressWords, pushReportWords, targetStateWords, targetWhere } from '../lib/words';
import { toAppError, unwrap } from '../stores/call';
import { useWorkspaces } from '../stores/workspaces-store';
import { ErrorNote } from '../components/error-note';

/**
 * "Used in": the places this token is deployed to, with each one's last push and read-back; add a place, remove
 * one (what it holds is left as it is), and push the current secret to all of them now. No secret reaches the
 * window: main writes the places and answers with results.
 */
export function UsedIn({ token }: { token: TokenDto }) {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const workspaceName = (id: string) => workspaces.find((w) => w.id === id)?.name ?? 'a removed workspace';
  const [targets, setTargets] = useState<DeploymentTargetRecord[]>([]);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<DeployProgress | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<AppError>();
  const live = token.status === 'active' || token.status === 'inactive';

  const load = useCallback(async () => {
    try {
      setTargets(await unwrap(window.tokenVault.targets.list({ tokenId: token.id })));
    } catch (e) {
      setError(toAppError(e));
    }
  }, [token.id]);
  // A rotation moves the places to the replacement and rewrites them: reload when the token's row changes.
  useEffect(() => {
    setStatus('');
    setError(undefined);
    void load();
  }, [load, token.status, token.replacedById]);
  useEffect(() => window.tokenVault.targets.onProgress((p) => p.tokenId === token.id && setProgress(p)), [token.id]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setStatus('');
    try {
      setStatus(await action());
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
      setProgress(null);
      await load();
    }
  };

  return (
    <section className="used-in" aria-labelledby={`used-in-${token.id}`}>
      <h3 id={`used-in-${token.id}`}>Used in</h3>
      {targets.length === 0 ? (
        <p className="hint">Not linked to any place yet. Add the files and CI secrets that hold this token, and a rotation writes the new secret there itself.</p>
      ) : (
        <ul className="targets" aria-label="Places this token is used">
          {targets.map((t) => {
            const where = targetWhere(t.spec, workspaceName);
            const state = targetStateWords(t);
            return (
              <li key={t.id}>
                <span className="target-where">{where}</span>
                <span className={state.ok === false ? 'target-state error-text' : 'target-state'}>{state.text}</span>
                <button type="button" className="secondary small" disabled={busy} aria-label={`Remove ${where}`} onClick={() => void act(async () => (await unwrap(window.tokenVault.targets.remove({ tokenId: token.id, targetId: t.id })), 'Place removed; what it holds was left as it is.'))}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="actions" role="group" aria-label="Used in actions">
        <button type="button" className="secondary small" disabled={busy} onClick={() => setAdding(true)}>
          Add place…
        </button>
        {targets.length > 0 && live && token.hasSecret && (
          <button type="button" className="small" disabled={busy} onClick={() => void act(async () => pushReportWords(await unwrap(window.tokenVault.targets.push({ tokenId: token.id }))))}>
            Push now
          </button>
        )}
      </div>
      <p className="status" role="status" aria-live="polite">
        {busy && progress ? progressWords(progress) : status}
      </p>
      <ErrorNote error={error} />
      {adding && (
        <AddTargetDialog
          token={token}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            setStatus('Place added. Choose "Push now" to write the secret there.');
            void load();
          }}
        />
      )}
    </section>
  );
}
