import { trimPastedSecret } from '../../../shared/pasted-secret';
import { useMemo, useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/result';
import type { FoundTokenAdded, ScanFinding } from '../../../shared/ipc/scan-channels';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { OperationStatus } from '../components/operation-status';
import { toAppError } from '../stores/call';
import { keptExpiryNote, scanTargetWords } from '../lib/words';
import { unwrap } from '../stores/call';
import { useReveal } from '../stores/reveal-store';
import { useTokens } from '../stores/tokens-store';
import { useWorkspaces } from '../stores/workspaces-store';

const CUSTOM = 'custom';

/** A likely token a scan found in a file; main reads it from there, the dialog never holds it. */
export type FoundToken = Extract<ScanFinding, { kind: 'unknown' }>;

/**
 * Create a token at the service: name, description, the expiry choices that service accepts, type and scopes.
 * Manual workspaces have no API: the same dialog takes a pasted secret instead.
 * `found`: a token "Scan for tokens" found in a file: the form is the pasted one, with the file's place where the
 * secret field would be (main reads the token from the file) and only the workspaces that take pasted tokens.
 */
export function CreateTokenDialog({ defaultWorkspaceId, onClose, found, onFoundAdded }: { defaultWorkspaceId: string | null; onClose(): void; found?: FoundToken; onFoundAdded?(added: FoundTokenAdded): void }) {
  const providers = useWorkspaces((s) => s.providers);
  const allWorkspaces = useWorkspaces((s) => s.workspaces);
  const workspaces = useMemo(
    () => (found ? allWorkspaces.filter((w) => w.kind === 'manual' || providers.find((p) => p.kind === w.kind)?.capabilities.create === false) : allWorkspaces),
    [found, allWorkspaces, providers],
  );
  const create = useTokens((s) => s.create);
  const add = useTokens((s) => s.add);
  const show = useReveal((s) => s.show);
  const [workspaceId, setWorkspaceId] = useState(defaultWorkspaceId ?? workspaces[0]?.id ?? '');
  const workspace = workspaces.find((w) => w.id === workspaceId);
  const provider = providers.find((p) => p.kind === workspace?.kind);
  const caps = provider?.capabilities;
  // No create API (manual, GitHub): the token is made on the service and pasted here.
  const manual = workspace?.kind === 'manual' || caps?.create === false;

  const presets = useMemo(() => {
    if (!caps || caps.expiry === 'none') return [];
    return caps.expiryPresets;
  }, [caps]);
  const allowsCustom = caps?.expiry === 'date' || caps?.expiry === 'seconds' || manual;
  const allowsNever = manual || (caps !== undefined && (caps.expiry === 'none' || (!caps.expiryRequired && !presets.some((p) => p.seconds === null))));

  const [name, setName] = useState(found?.suggestedName ?? '');
  const [linkAsTarget, setLinkAsTarget] = useState(found?.target != null);
  const [description, setDescription] = useState('');
  const [expiry, setExpiry] = useState<string>('');
  const [customDate, setCustomDate] = useState('');
  const [type, setType] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [freeScopes, setFreeScopes] = useState('');
  const [secret, setSecret] = useState('');
  // One name per token in a workspace (main refuses a second one; said here before the user submits).
  const nameTaken = useTokens((s) => name.trim() !== '' && s.tokens.some((t) => t.workspaceId === workspaceId && t.name === name.trim()));
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const expiryChoice = expiry || presets.find((p) => p.id === '30d')?.id || presets[0]?.id || (allowsNever ? 'never' : CUSTOM);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!workspace) return;
    // Where the service needs a scope (GitLab), the user picks it: no default rights handed out unasked.
    if (!manual && caps?.scopesRequired && scopes.length === 0 && freeScopes.trim() === '') {
      setError({ code: 'invalid-argument', message: `${provider?.label ?? 'This service'} needs at least one scope: choose what the token may do.` });
      return;
    }
    setBusy(true);
    setError(undefined);
    const expiresAt = expiryChoice === CUSTOM ? (customDate ? new Date(`${customDate}T00:00:00`).toISOString() : undefined) : expiryChoice === 'never' && !presets.some((p) => p.id === 'never') ? null : undefined;
    const preset = presets.some((p) => p.id === expiryChoice) ? expiryChoice : undefined;
    // A pasted (or found) token has no service to apply a preset: the preset becomes a date from now.
    const presetSeconds = presets.find((p) => p.id === expiryChoice)?.seconds;
    const pastedExpiry = expiresAt !== undefined ? expiresAt : presetSeconds ? new Date(Date.now() + presetSeconds * 1000).toISOString() : null;
    try {
      if (found) {
        const added = await unwrap(
          window.tokenVault.scan.addToVault({ findingId: found.id, workspaceId, name, ...(description ? { description } : {}), expiresAt: pastedExpiry, linkAsTarget: linkAsTarget && found.target !== null }),
        );
        onFoundAdded?.(added);
        onClose();
        return;
      }
      if (manual) {
        await add({ workspaceId, name, secret, ...(description ? { description } : {}), expiresAt: pastedExpiry });
        setSecret('');
        onClose();
        return;
      }
      const allScopes = [...scopes, ...freeScopes.split(/[\s,]+/).filter(Boolean)];
      const issued = await create({
        workspaceId,
        name,
        ...(description ? { description } : {}),
        ...(preset ? { expiryPreset: preset } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(type ? { type } : {}),
        ...(allScopes.length ? { scopes: allScopes } : {}),
      });
      show({ title: 'Your new token', tokenName: issued.token.name, tokenId: issued.token.id, secret: issued.secret, notes: issued.keptExpiry ? [keptExpiryNote(provider?.label ?? workspace.kind, issued.token.expiresAt)] : [] });
      onClose();
    } catch (e) {
      // An unsaved secret was already shown once by unwrap().
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={found ? 'Add the found token' : manual ? 'Add a token' : 'New token'}
      description={found ? 'Token Vault reads the token from the file and keeps it encrypted; it is not shown here.' : manual ? 'Create the token on the service, then paste it here.' : 'The service issues the token; you will see its secret once.'}
    >
      {/* An error about the last attempt is stale once the user changes what it was about; what was typed stays. */}
      <form className="form" onSubmit={(e) => void submit(e)} onChange={() => !busy && error && setError(undefined)}>
        <div className="field">
          <label htmlFor="new-token-workspace">Workspace</label>
          <select id="new-token-workspace" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} required>
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        {caps && !caps.create && workspace?.kind !== 'manual' && <p className="note">{provider?.label} cannot create tokens through its API: create it there, then paste it here.</p>}
        <label>
          Name
          <input type="text" required value={name} onChange={(e) => setName(e.target.value)} aria-describedby={nameTaken ? 'new-token-name-taken' : undefined} />
        </label>
        {nameTaken && (
          <p id="new-token-name-taken" className="hint error">
            {workspace?.name} already has a token named "{name.trim()}": pick another name.
          </p>
        )}
        <label>
          Description
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {found && (
          <div className="field">
            <span id="found-token-label">Token</span>
            <p className="found-place" aria-labelledby="found-token-label">
              {found.prefix}… ({found.length} characters, {found.issuer}) on line {found.line} of <span className="path">{found.file}</span>
            </p>
          </div>
        )}
        {found?.target && (
          <label className="check">
            <input type="checkbox" checked={linkAsTarget} onChange={(e) => setLinkAsTarget(e.target.checked)} />
            Also use this file as a place of the token ({scanTargetWords(found.target)}), so rotations write it
          </label>
        )}
        {found && workspaces.length === 0 && <p className="note">Add a manual workspace first: found tokens go into a workspace that takes pasted tokens.</p>}
        {manual && !found && (
          <label>
            Secret
            <input type="password" required value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" aria-describedby={trimPastedSecret(secret).trimmed ? 'new-token-trimmed' : undefined} />
          </label>
        )}
        {manual && !found && trimPastedSecret(secret).trimmed && (
          <p id="new-token-trimmed" className="hint" role="status">
            The spaces or line breaks around the pasted secret will be removed.
          </p>
        )}
        <fieldset>
          <legend>Expires</legend>
          {presets.map((p) => (
            <label key={p.id} className="check">
              <input type="radio" name="expiry" value={p.id} checked={expiryChoice === p.id} onChange={() => setExpiry(p.id)} />
              {p.label}
            </label>
          ))}
          {allowsCustom && (
            <label className="check">
              <input type="radio" name="expiry" value={CUSTOM} checked={expiryChoice === CUSTOM} onChange={() => setExpiry(CUSTOM)} />
              Custom date
            </label>
          )}
          {allowsNever && !presets.some((p) => p.id === 'never') && (
            <label className="check">
              <input type="radio" name="expiry" value="never" checked={expiryChoice === 'never'} onChange={() => setExpiry('never')} />
              Never
            </label>
          )}
          {expiryChoice === CUSTOM && (
            <label>
              Expiry date
              <input type="date" required value={customDate} min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)} onChange={(e) => setCustomDate(e.target.value)} />
            </label>
          )}
        </fieldset>
        {!manual && caps && caps.types.length > 0 && (
          <div className="field">
            <label htmlFor="new-token-type">Type</label>
            <select id="new-token-type" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">Default</option>
              {caps.types.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
        )}
        {!manual && caps && caps.scopes.length > 0 && (
          <fieldset>
            <legend>
              Scopes
              {caps.scopesRequired && <span className="optional"> (at least one)</span>}
            </legend>
            <div className="scopes">
              {caps.scopes.map((s) => (
                <label key={s} className="check">
                  <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
                  {s}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {!manual && caps?.freeScopes && caps.scopes.length === 0 && (
          <label>
            Scopes (comma-separated)
            <input type="text" value={freeScopes} onChange={(e) => setFreeScopes(e.target.value)} />
          </label>
        )}
        {caps?.notes.map((n) => (
          <p key={n} className="note">
            {n}
          </p>
        ))}
        <ErrorNote error={error} />
        {busy && <OperationStatus matches={(op) => op.workspaceId === workspaceId && op.kind === 'create'} />}
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || !workspace || (!manual && caps?.create === false)}>
            {manual ? 'Add token' : 'Create token'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
