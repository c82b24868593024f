import { type ReactNode, useEffect, useState } from 'react';
import type { ChosenScanFolder, FoundTokenAdded, ScanFinding, ScanProgress, ScanResult } from '../../../shared/ipc/scan-channels';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { CreateTokenDialog, type FoundToken } from '../dialogs/create-token-dialog';
import { count } from '../lib/plural';
import { encodingWords, scanProgressWords, scanSkipWords, scanSummaryWords, scanTargetWords } from '../lib/words';
import { toAppError, unwrap } from '../stores/call';

type StoredFinding = Extract<ScanFinding, { kind: 'stored' }>;

const PATHS = { one: 'path', other: 'paths' } as const;

/**
 * "Scan for tokens": the user picks a folder in the OS dialog (main keeps the path), main scans it for the vault's
 * secrets and for likely tokens that are not in the vault, with progress and a cancel. Each place of a stored token
 * can be linked as a deployment target; each unknown token can be added to the vault through the add form, main
 * reading it from the file. The window only ever holds files, lines, names and prefixes.
 */
export function ScanView() {
  const [folder, setFolder] = useState<ChosenScanFolder | null>(null);
  const [homeFiles, setHomeFiles] = useState(false);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<AppError>();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [adding, setAdding] = useState<FoundToken | null>(null);

  useEffect(() => window.tokenVault.scan.onProgress((p) => setProgress(p)), []);
  // Leaving the view stops a scan still running: its findings would have nowhere to go.
  useEffect(() => () => void window.tokenVault.scan.cancel(), []);

  const choose = async () => {
    setError(undefined);
    try {
      const chosen = await unwrap(window.tokenVault.scan.chooseFolder());
      if (chosen) {
        setFolder(chosen);
        setResult(null);
        setStatus('');
      }
    } catch (e) {
      setError(toAppError(e));
    }
  };

  const start = async () => {
    if (!folder) return;
    setError(undefined);
    setStatus('');
    setProgress(null);
    setRunning(true);
    try {
      const r = await unwrap(window.tokenVault.scan.start({ folderId: folder.folderId, homeFiles }));
      setResult(r);
      setStatus(scanSummaryWords(r));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setRunning(false);
    }
  };

  const replace = (finding: ScanFinding) => setResult((r) => (r ? { ...r, findings: r.findings.map((f) => (f.id === finding.id ? finding : f)) } : r));

  const addTarget = async (f: StoredFinding) => {
    setBusyId(f.id);
    setError(undefined);
    try {
      const linked = await unwrap(window.tokenVault.scan.addTarget({ findingId: f.id }));
      replace(linked);
      setStatus(`${shown(f.file)} is now a place of ${f.workspace}/${f.token}: rotations write it.`);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusyId(null);
    }
  };

  const added = (a: FoundTokenAdded) => {
    replace(a.finding);
    const where = `${a.finding.workspace}/${a.finding.token}`;
    setStatus(a.finding.linked ? `Added ${where} to the vault, with ${shown(a.finding.file)} as its place.` : `Added ${where} to the vault.`);
    if (a.linkFailure) setError({ code: 'target-refused', message: `The file was not linked as its place: ${a.linkFailure.message}` });
  };

  /** Paths inside the chosen folder are shown relative to it. */
  const shown = (file: string) => (folder && file.startsWith(`${folder.path}/`) ? file.slice(folder.path.length + 1) : file);
  const stored = (result?.findings ?? []).filter((f): f is StoredFinding => f.kind === 'stored');
  const unknown = (result?.findings ?? []).filter((f): f is FoundToken => f.kind === 'unknown');

  return (
    <section className="scan-view" aria-labelledby="scan-title" aria-busy={running}>
      <h1 id="scan-title">Scan for tokens</h1>
      <p className="hint">Find the files that hold your stored tokens, and tokens that are not in the vault yet. No secret is shown: each finding names the file, the line and the token.</p>
      <div className="scan-controls" role="group" aria-label="What to scan">
        <button type="button" className="secondary" disabled={running} onClick={() => void choose()}>
          Choose folder…
        </button>
        <span className="scan-folder path" aria-label="Folder to scan">
          {folder ? folder.path : 'No folder chosen yet'}
        </span>
        <label className="check">
          <input type="checkbox" checked={homeFiles} disabled={running} onChange={(e) => setHomeFiles(e.target.checked)} />
          Also the well-known files in your home folder (~/.npmrc, ~/.docker/config.json, …)
        </label>
        {/* Two keys, two buttons: a click that lands as the scan ends must not reach "Scan again" through a reused node. */}
        {running ? (
          <button key="cancel" type="button" className="secondary" onClick={() => void window.tokenVault.scan.cancel()}>
            Cancel scan
          </button>
        ) : (
          <button key="scan" type="button" disabled={!folder} onClick={() => void start()}>
            {result ? 'Scan again' : 'Scan'}
          </button>
        )}
      </div>
      <p className="status" role="status" aria-live="polite">
        {running ? (progress ? scanProgressWords(progress) : 'Scanning…') : status}
      </p>
      <ErrorNote error={error} />
      {result && (
        <FindingSection
          title="Stored tokens found in files"
          label="Places holding a stored token"
          findings={stored}
          shown={shown}
          what={(f) => (
            <>
              <span>
                <strong>
                  {f.workspace}/{f.token}
                </strong>
                {f.encoding !== 'exact' && <span className="hint"> ({encodingWords(f.encoding)})</span>}
              </span>
              <span className="hint">
                {f.linked ? 'Linked: rotations write it.' : f.target ? `As ${scanTargetWords(f.target)}` : 'Not a file format Token Vault can write: add the place in the token\u2019s details.'}
              </span>
            </>
          )}
          action={(f) =>
            !f.linked &&
            f.target && (
              <button type="button" className="secondary small" disabled={busyId !== null} aria-label={`Add as target: ${shown(f.file)}:${f.line} for ${f.workspace}/${f.token}`} onClick={() => void addTarget(f)}>
                Add as target
              </button>
            )
          }
        />
      )}
      {result && (
        <FindingSection
          title="Likely tokens not in the vault"
          label="Likely tokens not in the vault"
          findings={unknown}
          shown={shown}
          what={(f) => (
            <>
              <span>
                <code>{f.prefix}…</code> {f.length} characters
              </span>
              <span className="hint">{f.issuer}</span>
            </>
          )}
          action={(f) => (
            <button type="button" className="secondary small" disabled={busyId !== null} aria-label={`Add to vault… the ${f.prefix}… token in ${shown(f.file)}:${f.line}`} onClick={() => setAdding(f)}>
              Add to vault…
            </button>
          )}
        />
      )}
      {result && result.unlisted > 0 && <p className="note">{count(result.unlisted, { one: 'more finding is', other: 'more findings are' })} not listed here: scan a smaller folder to see them.</p>}
      {result && result.findings.length === 0 && <p>{result.cancelled ? 'Nothing found before the scan stopped.' : 'No stored token and no likely token found.'}</p>}
      {result && result.skipped.length > 0 && (
        <details>
          <summary>{count(result.skipped.length, PATHS)} not read</summary>
          <ul className="plain-list">
            {result.skipped.slice(0, 200).map((s) => (
              <li key={s.path}>
                {shown(s.path)}: {scanSkipWords(s.reason)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {adding && <CreateTokenDialog defaultWorkspaceId={null} found={adding} onFoundAdded={added} onClose={() => setAdding(null)} />}
    </section>
  );
}

/** One list of findings (nothing when empty): each row names its place, says what was found and offers one action. */
function FindingSection<F extends { id: string; file: string; line: number }>(props: {
  title: string;
  label: string;
  findings: readonly F[];
  shown: (file: string) => string;
  what: (finding: F) => ReactNode;
  action: (finding: F) => ReactNode;
}) {
  if (props.findings.length === 0) return null;
  return (
    <>
      <h2 className="scan-heading">{props.title}</h2>
      <ul className="scan-list" aria-label={props.label}>
        {props.findings.map((f) => (
          <li key={f.id} className="scan-item">
            <div className="scan-what">
              <span className="path">
                {props.shown(f.file)}:{f.line}
              </span>
              {props.what(f)}
            </div>
            {props.action(f)}
          </li>
        ))}
      </ul>
    </>
  );
}
