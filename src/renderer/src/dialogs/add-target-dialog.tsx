import { useId, useState, type FormEvent } from 'react';
import { fileTargetKindOf, FILE_TARGET_KINDS, npmRegistryPrefix, REMOTE_TARGET_SERVICE, type DeploymentTargetInput, type FileTargetKind, type RemoteTargetKind } from '../../../shared/deployment-targets';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { toAppError, unwrap } from '../stores/call';
import { useWorkspaces } from '../stores/workspaces-store';

const FORMAT_LABELS: Record<FileTargetKind, string> = {
  dotenv: '.env file',
  npmrc: '.npmrc',
  json: 'JSON',
  yaml: 'YAML',
  docker: 'Docker config.json',
};
const KEY_LABELS: Record<FileTargetKind, string> = {
  dotenv: 'Variable',
  npmrc: 'Registry',
  json: 'Dotted path',
  yaml: 'Dotted path',
  docker: 'Registry host',
};
/** The remote target each workspace kind can hold (a Gitea workspace holds Actions secrets, and so on). */
const REMOTE_KIND_OF: Record<string, RemoteTargetKind> = Object.fromEntries(Object.entries(REMOTE_TARGET_SERVICE).map(([kind, service]) => [service, kind as RemoteTargetKind]));

/**
 * "Add a place": a file on this computer (path, format, key), or a workspace of a service that holds CI secrets
 * (GitLab CI variables, Gitea or GitHub Actions secrets, Vault KV). Nothing is written until "Push now" or the next
 * rotation.
 */
export function AddTargetDialog({ token, onClose, onAdded }: { token: TokenDto; onClose(): void; onAdded(): void }) {
  // Select the array itself (a filtered copy would be a new value on every read and loop the store).
  const workspaces = useWorkspaces((s) => s.workspaces);
  const hosts = workspaces.filter((w) => REMOTE_KIND_OF[w.kind] !== undefined);
  const [where, setWhere] = useState<'file' | 'service'>('file');
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<FileTargetKind | 'auto'>('auto');
  const [key, setKey] = useState('');
  const [user, setUser] = useState('');
  const [workspaceId, setWorkspaceId] = useState(hosts[0]?.id ?? '');
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const hintId = useId();

  const inferred = format === 'auto' ? fileTargetKindOf(path.trim()) : format;
  const host = hosts.find((w) => w.id === workspaceId);
  const remoteKind = host ? REMOTE_KIND_OF[host.kind] : undefined;

  const spec = (): DeploymentTargetInput | string => {
    if (where === 'file') {
      if (!inferred) return 'The file name does not say its format: choose one.';
      const p = path.trim();
      switch (inferred) {
        case 'npmrc': {
          const prefix = npmRegistryPrefix(key);
          return prefix ? { kind: 'npmrc', path: p, key: prefix } : 'Give the registry as a URL or //host/path/.';
        }
        case 'docker':
          return { kind: 'docker', path: p, key: key.trim(), user: user.trim() };
        default:
          return { kind: inferred, path: p, key: key.trim() };
      }
    }
    if (!host || !remoteKind) return 'Choose the workspace that holds the secret.';
    switch (remoteKind) {
      case 'gitlab-variable':
        return { kind: 'gitlab-variable', workspaceId: host.id, level: 'project', owner: owner.trim(), key: key.trim() };
      case 'gitea-secret':
        return { kind: 'gitea-secret', workspaceId: host.id, level: 'repo', owner: owner.trim(), name: key.trim() };
      case 'github-secret':
        return { kind: 'github-secret', workspaceId: host.id, level: 'repo', owner: owner.trim(), name: key.trim() };
      case 'vault-kv':
        return { kind: 'vault-kv', workspaceId: host.id, path: owner.trim(), key: key.trim() };
      default:
        return remoteKind satisfies never;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const s = spec();
    if (typeof s === 'string') {
      setError({ code: 'invalid-argument', message: s });
      return;
    }
    setBusy(true);
    try {
      await unwrap(window.tokenVault.targets.add({ tokenId: token.id, spec: s }));
      onAdded();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open onOpenChange={(open) => !open && !busy && onClose()} title={`Add a place "${token.name}" is used`} description="Token Vault writes the secret there on Push now and after every rotation, and reads it back.">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>Where</legend>
          <label className="check">
            <input type="radio" name="where" checked={where === 'file'} onChange={() => setWhere('file')} />
            A file on this computer
          </label>
          <label className="check">
            <input type="radio" name="where" checked={where === 'service'} disabled={hosts.length === 0} onChange={() => setWhere('service')} />
            A CI secret or Vault KV in a workspace{hosts.length === 0 ? ' (add a GitLab, Gitea, GitHub or Vault workspace first)' : ''}
          </label>
        </fieldset>
        {where === 'file' ? (
          <>
            <label>
              File (full path)
              <input required value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/you/project/.env" aria-describedby={hintId} spellCheck={false} />
            </label>
            <label>
              Format
              <select value={format} onChange={(e) => setFormat(e.target.value as FileTargetKind | 'auto')}>
                <option value="auto">From the file name{fileTargetKindOf(path.trim()) ? ` (${FORMAT_LABELS[fileTargetKindOf(path.trim()) as FileTargetKind]})` : ''}</option>
                {FILE_TARGET_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {FORMAT_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            <p id={hintId} className="hint">
              .npmrc, .docker/config.json, *.json, *.yaml and .env files say their format by their name. Other lines in the file are kept.
            </p>
            <label>
              {inferred ? KEY_LABELS[inferred] : 'Key'}
              <input required value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} placeholder={inferred === 'npmrc' ? 'https://registry.npmjs.org/' : inferred === 'docker' ? 'ghcr.io' : inferred === 'dotenv' ? 'NPM_TOKEN' : 'services.api.token'} />
            </label>
            {inferred === 'docker' && (
              <label>
                User
                <input required value={user} onChange={(e) => setUser(e.target.value)} spellCheck={false} />
              </label>
            )}
          </>
        ) : (
          <>
            <label>
              Workspace
              <select value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)}>
                {hosts.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {remoteKind === 'vault-kv' ? 'Secret path' : remoteKind === 'gitlab-variable' ? 'Project (group/project)' : 'Repository (owner/repo)'}
              <input required value={owner} onChange={(e) => setOwner(e.target.value)} spellCheck={false} />
            </label>
            <label>
              {remoteKind === 'vault-kv' ? 'Key' : remoteKind === 'gitlab-variable' ? 'Variable' : 'Secret name'}
              <input required value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} />
            </label>
          </>
        )}
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" className="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            Add place
          </button>
        </div>
      </form>
    </Modal>
  );
}
