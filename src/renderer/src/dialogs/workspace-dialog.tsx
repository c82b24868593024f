import { useState, type FormEvent } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import type { ProviderKind } from '../../../shared/provider-capabilities';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useWorkspaces } from '../stores/workspaces-store';

/** Add (workspace undefined) or edit a workspace, with exactly the fields its provider needs. */
export function WorkspaceDialog({ workspace, onDone, onClose }: { workspace?: WorkspaceDto; onDone(ws: WorkspaceDto): void; onClose(): void }) {
  const providers = useWorkspaces((s) => s.providers);
  const [kind, setKind] = useState<ProviderKind>(workspace?.kind ?? 'manual');
  const provider = providers.find((p) => p.kind === kind);
  const fields = provider?.fields;
  const [name, setName] = useState(workspace?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(workspace?.baseUrl ?? '');
  const [username, setUsername] = useState(workspace?.username ?? '');
  const [adminSecret, setAdminSecret] = useState('');
  const [tokenPageUrl, setTokenPageUrl] = useState(workspace?.tokenPageUrl ?? '');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const used = (f: 'required' | 'optional' | 'unused' | undefined) => f !== undefined && f !== 'unused';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const common = {
      name,
      ...(used(fields?.baseUrl) ? { baseUrl: baseUrl || null } : {}),
      ...(used(fields?.username) ? { username: username || null } : {}),
      ...(used(fields?.tokenPageUrl) ? { tokenPageUrl: tokenPageUrl || null } : {}),
      // An empty secret on edit keeps the stored one.
      ...(used(fields?.adminSecret) && adminSecret ? { adminSecret } : {}),
    };
    const result = workspace ? await window.tokenVault.workspaces.update({ id: workspace.id, ...common }) : await window.tokenVault.workspaces.add({ kind, ...common });
    setBusy(false);
    setAdminSecret('');
    if (!result.ok) return setError(result.error);
    onDone(result.value);
  };

  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={workspace ? `Edit ${workspace.name}` : 'Add a workspace'} description={workspace ? undefined : 'Token Vault checks the admin credential with the service before saving it.'}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {!workspace && (
          <div className="field">
            <label htmlFor="ws-kind">Service</label>
            <select id="ws-kind" value={kind} onChange={(e) => setKind(e.target.value as ProviderKind)}>
              {providers.map((p) => (
                <option key={p.kind} value={p.kind}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <label>
          Workspace name
          <input type="text" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {used(fields?.baseUrl) && (
          <label>
            Service URL
            <input type="text" inputMode="url" required={fields?.baseUrl === 'required'} placeholder={fields?.defaultBaseUrl} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
          </label>
        )}
        {used(fields?.username) && (
          <label>
            {fields?.usernameLabel ?? 'Username'}
            <input type="text" required={fields?.username === 'required'} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          </label>
        )}
        {used(fields?.adminSecret) && (
          <label>
            {fields?.adminSecretLabel ?? 'Admin credential'}
            <input
              type="password"
              required={fields?.adminSecret === 'required' && !workspace}
              placeholder={workspace?.hasAdminCredential ? 'Stored; leave empty to keep it' : undefined}
              value={adminSecret}
              onChange={(e) => setAdminSecret(e.target.value)}
              autoComplete="off"
            />
          </label>
        )}
        {used(fields?.tokenPageUrl) && (
          <label>
            Token page URL
            <input type="text" inputMode="url" required={fields?.tokenPageUrl === 'required'} value={tokenPageUrl} onChange={(e) => setTokenPageUrl(e.target.value)} />
          </label>
        )}
        {!workspace && provider && provider.capabilities.notes.length > 0 && (
          <ul className="note" aria-label="About this service">
            {provider.capabilities.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
        {fields?.options && (
          <p className="note">
            Options go after # in the service URL: {Object.entries(fields.options).map(([k, v]) => `${k} (${v})`).join('; ')}.
          </p>
        )}
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : workspace ? 'Save' : 'Add workspace'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RemoveWorkspaceDialog({ workspace, tokenCount, onDone, onClose }: { workspace: WorkspaceDto; tokenCount: number; onDone(): void; onClose(): void }) {
  const [error, setError] = useState<AppError>();
  const remove = async () => {
    const result = await window.tokenVault.workspaces.remove({ id: workspace.id, withTokens: true });
    if (!result.ok) return setError(result.error);
    onDone();
  };
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Remove ${workspace.name}?`}
      description={`Token Vault forgets this workspace and its ${tokenCount} stored token${tokenCount === 1 ? '' : 's'}. The tokens keep working at the service.`}
    >
      <ErrorNote error={error} />
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Remove workspace
        </button>
      </div>
    </Modal>
  );
}
