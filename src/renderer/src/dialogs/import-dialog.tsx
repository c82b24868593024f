import { useState, type FormEvent } from 'react';
import type { ChosenImportFile } from '../../../shared/ipc/transfer-channels';
import type { AppError } from '../../../shared/result';
import { FILE_IMPORT_FORMATS, type FileImportFormat, type ImportPreview, type ImportReport, type SkippedEntry } from '../../../shared/transfer';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { count, TOKENS } from '../lib/plural';
import { importFormatLabel, skipReasonWords } from '../lib/words';
import { useWorkspaces } from '../stores/workspaces-store';

type Step = { kind: 'choose' } | { kind: 'options'; file: ChosenImportFile } | { kind: 'preview'; file: ChosenImportFile; preview: ImportPreview } | { kind: 'done'; report: ImportReport };

const WORKSPACES = { one: 'workspace', other: 'workspaces' } as const;
const ENTRIES = { one: 'entry', other: 'entries' } as const;

function SkippedList({ skipped, id }: { skipped: SkippedEntry[]; id: string }) {
  if (skipped.length === 0) return null;
  return (
    <details>
      <summary>
        {count(skipped.length, ENTRIES)} left out
      </summary>
      <ul className="plain-list" tabIndex={0} aria-labelledby={id}>
        {skipped.slice(0, 200).map((s, i) => (
          <li key={`${s.where}-${i}`}>
            {s.name ?? s.where}: {skipReasonWords(s.reason)}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * Moving in through the window: the OS dialog picks the file (main keeps its path), the user says its format, where
 * its tokens go and (for KeePass) its password; a preview lists what would be added and what is left out and why
 * (names only: no secret reaches the window); then one import, and what it did.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [format, setFormat] = useState<FileImportFormat>('dotenv');
  const [workspace, setWorkspace] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const input = (file: ChosenImportFile) => ({
    fileId: file.fileId,
    format,
    ...(workspace.trim() ? { workspace: workspace.trim() } : {}),
    ...(format === 'kdbx' ? { password } : {}),
  });

  const choose = async () => {
    setBusy(true);
    const r = await window.tokenVault.transfer.chooseImportFile();
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    if (!r.value) return;
    if (r.value.format) setFormat(r.value.format);
    setStep({ kind: 'options', file: r.value });
  };

  const preview = async (event: FormEvent, file: ChosenImportFile) => {
    event.preventDefault();
    setBusy(true);
    const r = await window.tokenVault.transfer.previewImport(input(file));
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setStep({ kind: 'preview', file, preview: r.value });
  };

  const confirm = async (file: ChosenImportFile) => {
    setBusy(true);
    const r = await window.tokenVault.transfer.import(input(file));
    setBusy(false);
    if (!r.ok) return setError(r.error);
    // The password is not kept past the import.
    setPassword('');
    setError(undefined);
    setStep({ kind: 'done', report: r.value });
  };

  return (
    <Modal open wide onOpenChange={(open) => !open && onClose()} title="Import tokens" description="From KeePassXC, 1Password, Bitwarden, a .env file or a CSV file. Nothing is added until you confirm.">
      {step.kind === 'choose' && (
        <div className="form">
          <p className="plain">Choose the exported file. Token Vault reads it here, on this computer.</p>
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="button" data-autofocus disabled={busy} onClick={() => void choose()}>
              Choose a file…
            </button>
          </div>
        </div>
      )}
      {step.kind === 'options' && (
        <form className="form" onSubmit={(e) => void preview(e, step.file)}>
          <p className="plain">
            File: <code>{step.file.fileName}</code>
          </p>
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as FileImportFormat)}>
              {FILE_IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {importFormatLabel(f)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Workspace (empty: the file’s own groups or folders)
            <input type="text" list="import-workspaces" maxLength={120} value={workspace} onChange={(e) => setWorkspace(e.target.value)} />
            <datalist id="import-workspaces">
              {workspaces.map((w) => (
                <option key={w.id} value={w.name} />
              ))}
            </datalist>
          </label>
          {format === 'kdbx' && (
            <label>
              The database’s password
              <input type="password" autoComplete="off" maxLength={1024} value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          )}
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={() => setStep({ kind: 'choose' })}>
              Back
            </button>
            <button type="submit" disabled={busy}>
              {busy ? 'Reading…' : 'Preview'}
            </button>
          </div>
        </form>
      )}
      {step.kind === 'preview' && (
        <div className="form">
          <h3 id="import-preview" className="dialog-subtitle">
            {step.preview.inserted === 0 ? 'Nothing new to import' : `${count(step.preview.inserted, TOKENS)} will be added`}
          </h3>
          {step.preview.workspacesCreated > 0 && <p className="plain hint">{count(step.preview.workspacesCreated, WORKSPACES)} will be created (manual).</p>}
          {step.preview.entries.length > 0 && (
            <ul className="plain-list" tabIndex={0} aria-labelledby="import-preview">
              {step.preview.entries.slice(0, 200).map((e, i) => (
                <li key={`${e.workspace}-${e.name}-${i}`}>
                  {e.name} <span className="hint">→ {e.workspace}{e.newWorkspace ? ' (new)' : ''}</span>
                </li>
              ))}
              {step.preview.entries.length > 200 && <li className="hint">and {step.preview.entries.length - 200} more</li>}
            </ul>
          )}
          <SkippedList skipped={step.preview.skipped} id="import-preview" />
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={() => setStep({ kind: 'options', file: step.file })}>
              Back
            </button>
            <button type="button" disabled={busy || step.preview.inserted === 0} onClick={() => void confirm(step.file)}>
              {`Import ${count(step.preview.inserted, TOKENS)}`}
            </button>
          </div>
        </div>
      )}
      {step.kind === 'done' && (
        <div className="form">
          <p role="status" className="plain" id="import-result">
            {`Imported ${count(step.report.inserted, TOKENS)}`}
            {step.report.workspacesCreated > 0 ? `, created ${count(step.report.workspacesCreated, WORKSPACES)}` : ''}
            {step.report.skipped.length > 0 ? `; ${count(step.report.skipped.length, ENTRIES)} left out.` : '.'}
          </p>
          <SkippedList skipped={step.report.skipped} id="import-result" />
          <div className="row">
            <button type="button" data-autofocus onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
