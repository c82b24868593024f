import { useState, type FormEvent } from 'react';
import type { WorkspaceDto } from '../../../shared/ipc/workspaces-channels';
import type { ProviderKind } from '../../../shared/provider-capabilities';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { OperationStatus } from '../components/operation-status';
import { Modal } from '../components/modal';
import { joinWorkspaceUrl, splitWorkspaceUrl } from '../../../shared/workspace-url';
import { useWorkspaces } from '../stores/workspaces-store';
import { TRASH_KEEP_DAYS } from '../../../shared/trash';
import { removedWithWorkspace, trashKeepsText } from '../lib/words';

const OPTION_LABELS: Record<string, string> = { projects: 'Project ids', groups: 'Group ids', userId: 'User id', projectIds: 'Project ids', organization: 'Organization' };
const optionLabel = (key: string) => OPTION_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** "(optional)" beside the label of a field the service does not need. */
function Optional({ need }: { need: 'required' | 'optional' | 'unused' | undefined }) {
  return need === 'optional' ? <span className="optional"> (optional)</span> : null;
}

/** Add (workspace undefined) or edit a workspace, with exactly the fields its provider needs. */
export function WorkspaceDialog({ workspace, onDone, onClose }: { workspace?: WorkspaceDto; onDone(ws: WorkspaceDto): void; onClose(): void }) {
  const providers = useWorkspaces((s) => s.providers);
  const [kind, setKind] = useState<ProviderKind>(workspace?.kind ?? 'manual');
  const provider = providers.find((p) => p.kind === kind);
  const fields = provider?.fields;
  const [name, setName] = useState(workspace?.name ?? '');
  const stored = splitWorkspaceUrl(workspace?.baseUrl ?? null);
  const [baseUrl, setBaseUrl] = useState(stored.baseUrl);
  // GitLab's projects and groups, OpenAI's projects...: real fields, kept in the URL's fragment.
  const [options, setOptions] = useState<Record<string, string>>(stored.options);
  const [username, setUsername] = useState(workspace?.username ?? '');
  const [adminSecret, setAdminSecret] = useState('');
  const [tokenPageUrl, setTokenPageUrl] = useState(workspace?.tokenPageUrl ?? '');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const used = (f: 'required' | 'optional' | 'unused' | undefined) => f !== undefined && f !== 'unused';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    // A new attempt: the last failure no longer describes anything.
    setError(undefined);
    const shownOptions = Object.fromEntries(Object.keys(fields?.options ?? {}).map((k) => [k, options[k] ?? '']));
    const url = baseUrl ? joinWorkspaceUrl(baseUrl.trim(), shownOptions) : '';
    const common = {
      name,
      ...(used(fields?.baseUrl) ? { baseUrl: url || null } : {}),
      ...(used(fields?.username) ? { username: username || null } : {}),
      ...(used(fields?.tokenPageUrl) ? { tokenPageUrl: tokenPageUrl || null } : {}),
      // An empty secret on edit keeps the stored one.
      ...(used(fields?.adminSecret) && adminSecret ? { adminSecret } : {}),
    };
    const result = workspace ? await window.tokenVault.workspaces.update({ id: workspace.id, ...common }) : await window.tokenVault.workspaces.add({ kind, ...common });
    setBusy(false);
    // What was typed stays after a failure (fix a typo, try again); the credential leaves the form once saved.
    if (!result.ok) return setError(result.error);
    setAdminSecret('');
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
            <span>
              Service URL
              <Optional need={fields?.baseUrl} />
            </span>
            <input type="text" inputMode="url" required={fields?.baseUrl === 'required'} placeholder={fields?.defaultBaseUrl} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
          </label>
        )}
        {used(fields?.username) && (
          <label>
            <span>
              {fields?.usernameLabel ?? 'Username'}
              <Optional need={fields?.username} />
            </span>
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
            <span>
              Token page URL
              <Optional need={fields?.tokenPageUrl} />
            </span>
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
        {fields?.options &&
          Object.entries(fields.options).map(([key, help]) => (
            <div className="field" key={key}>
              <label htmlFor={`ws-option-${key}`}>
                {optionLabel(key)}
                <span className="optional"> (optional)</span>
              </label>
              <input id={`ws-option-${key}`} type="text" aria-describedby={`ws-option-${key}-help`} value={options[key] ?? ''} onChange={(e) => setOptions({ ...options, [key]: e.target.value })} autoComplete="off" />
              <p id={`ws-option-${key}-help`} className="hint">
                {help}
              </p>
            </div>
          ))}
        <ErrorNote error={error} />
        {busy && <OperationStatus matches={(op) => op.kind === 'connect'} />}
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

/** Into the trash with its tokens and credential; the dialog says what goes and that it comes back for TRASH_KEEP_DAYS. */
export function RemoveWorkspaceDialog({ workspace, tokenCount, secretCount, onDone, onClose }: { workspace: WorkspaceDto; tokenCount: number; secretCount: number; onDone(): void; onClose(): void }) {
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
      title={`Move ${workspace.name} to the trash?`}
      description={`The workspace goes to the trash with ${removedWithWorkspace(tokenCount, secretCount, workspace.hasAdminCredential)}. ${trashKeepsText(TRASH_KEEP_DAYS)} Nothing changes at the service: its tokens keep working there.`}
    >
      <ErrorNote error={error} />
      <div className="row">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Move to trash
        </button>
      </div>
    </Modal>
  );
}
