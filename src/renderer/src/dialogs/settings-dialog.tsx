import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useSession } from '../stores/session-store';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const settings = useSession((s) => s.settings);
  const vault = useSession((s) => s.vault);
  const save = useSession((s) => s.saveSettings);
  const [autoLock, setAutoLock] = useState(String(settings?.autoLockMinutes ?? 15));
  const [clipboard, setClipboard] = useState(String(settings?.clipboardClearSeconds ?? 30));
  const [ladder, setLadder] = useState((settings?.warningDays ?? [30, 7, 1]).join(', '));
  const [lockOnScreenLock, setLockOnScreenLock] = useState(settings?.lockOnScreenLock ?? true);
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const warningDays = ladder.split(/[\s,]+/).filter(Boolean).map(Number);
    if (warningDays.some((d) => !Number.isInteger(d) || d < 0)) return setError({ code: 'invalid-argument', message: 'Write the warning days as whole numbers, e.g. 30, 7, 1.' });
    const failure = await save({ autoLockMinutes: Number(autoLock), clipboardClearSeconds: Number(clipboard), warningDays, lockOnScreenLock });
    setError(failure);
    setSaved(!failure);
  };
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title="Settings" description={vault ? `Vault file: ${vault.path}` : undefined}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          Lock after idle (minutes, 0 = never)
          <input type="number" min={0} max={1440} required value={autoLock} onChange={(e) => setAutoLock(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={lockOnScreenLock} onChange={(e) => setLockOnScreenLock(e.target.checked)} />
          Lock when the screen locks or the computer sleeps
        </label>
        <label>
          Clear copied secrets after (seconds, 0 = never)
          <input type="number" min={0} max={3600} required value={clipboard} onChange={(e) => setClipboard(e.target.value)} />
        </label>
        <label>
          Warn before expiry (days)
          <input type="text" value={ladder} onChange={(e) => setLadder(e.target.value)} />
        </label>
        <ErrorNote error={error} />
        {saved && <p role="status">Settings saved.</p>}
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
          <button type="submit">Save settings</button>
        </div>
      </form>
    </Modal>
  );
}
