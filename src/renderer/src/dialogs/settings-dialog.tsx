import { useEffect, useState, type FormEvent } from 'react';
import type { LockTriggers } from '../../../shared/ipc/desktop-channels';
import type { DailyBackupStatus } from '../../../shared/ipc/backup-channels';
import { dailyBackupWords, screenLockHelp } from '../lib/words';
import type { AppError } from '../../../shared/result';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { DEFAULT_SETTINGS, SETTINGS_BOUNDS } from '../../../shared/vault-settings';
import type { RotationBasis } from '../../../shared/rotation-policy';
import { useVault } from '../stores/vault-store';
import { PasswordStrength } from '../components/password-strength';

/** Change the master password (or set one on a keychain-only vault); the current one is checked first. */
function PasswordSection() {
  const vault = useVault((s) => s.vault);
  const changePassword = useVault((s) => s.changePassword);
  const hasPassword = vault?.passwordUnlock ?? true;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<AppError>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const mismatch = repeat.length > 0 && next !== repeat;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    const failure = await changePassword(hasPassword ? { currentPassword: current, newPassword: next } : { newPassword: next });
    setBusy(false);
    // Passwords never outlive the attempt in this component's state.
    setCurrent('');
    setNext('');
    setRepeat('');
    setError(failure);
    setDone(!failure);
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-labelledby="settings-password">
      <h3 id="settings-password" className="dialog-subtitle">
        {hasPassword ? 'Change master password' : 'Set a master password'}
      </h3>
      {hasPassword && (
        <label>
          Current master password
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
      )}
      <label>
        New master password
        <input type="password" autoComplete="new-password" minLength={8} required value={next} aria-describedby="settings-strength" onChange={(e) => setNext(e.target.value)} />
      </label>
      <PasswordStrength password={next} id="settings-strength" />
      <label>
        Repeat new master password
        <input type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} />
      </label>
      {mismatch && (
        <p role="alert" className="error">
          The two passwords differ.
        </p>
      )}
      <ErrorNote error={error} />
      {done && <p role="status">Master password changed.</p>}
      <div className="row">
        <button type="submit" disabled={busy || mismatch}>
          {hasPassword ? 'Change password' : 'Set password'}
        </button>
      </div>
    </form>
  );
}

/** Keychain unlock on/off; disabled, with the reason, where no keychain answers. */
function KeychainSection() {
  const vault = useVault((s) => s.vault);
  const setKeychainUnlock = useVault((s) => s.setKeychainUnlock);
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const available = vault?.keychainAvailable ?? false;
  const on = vault?.keychainUnlock ?? false;
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setError(await setKeychainUnlock(enabled));
    setBusy(false);
  };
  return (
    <div className="form" role="group" aria-labelledby="settings-keychain">
      <h3 id="settings-keychain" className="dialog-subtitle">
        System keychain
      </h3>
      <label className="check">
        <input type="checkbox" checked={on} disabled={!available || busy} aria-describedby="keychain-help" onChange={(e) => void toggle(e.target.checked)} />
        Unlock with the system keychain
      </label>
      <p id="keychain-help" className="plain hint">
        {available
          ? on
            ? 'The vault opens without a password while you are signed in to this computer.'
            : 'Keep the vault key in the system keychain so the vault opens without a password.'
          : 'No system keychain answered on this computer, so this option is not available.'}
      </p>
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * The automatic daily backup: on/off, how many days are kept, the folder (chosen in the OS dialog, by main), the
 * newest backup and, when the last attempt failed, why.
 */
function BackupSection() {
  const settings = useVault((s) => s.settings);
  const save = useVault((s) => s.saveSettings);
  const [status, setStatus] = useState<DailyBackupStatus>();
  const [days, setDays] = useState(String(settings?.dailyBackupKeepDays || DEFAULT_SETTINGS.dailyBackupKeepDays));
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const on = (status?.keepDays ?? settings?.dailyBackupKeepDays ?? DEFAULT_SETTINGS.dailyBackupKeepDays) > 0;

  useEffect(() => {
    void window.tokenVault.backup.getStatus().then((r) => (r.ok ? setStatus(r.value) : setError(r.error)));
  }, []);

  const act = async (call: () => Promise<{ ok: true; value: DailyBackupStatus } | { ok: false; error: AppError }>) => {
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (r.ok) {
      setStatus(r.value);
      setError(undefined);
    } else setError(r.error);
  };
  const keep = async (keepDays: number) => {
    setBusy(true);
    const failure = await save({ dailyBackupKeepDays: keepDays });
    setBusy(false);
    if (failure) return setError(failure);
    await act(() => window.tokenVault.backup.getStatus());
  };

  return (
    <div className="form" role="group" aria-labelledby="settings-backup">
      <h3 id="settings-backup" className="dialog-subtitle">
        Daily backup
      </h3>
      <label className="check">
        <input type="checkbox" checked={on} disabled={busy} onChange={(e) => void keep(e.target.checked ? Math.max(1, Number(days) || DEFAULT_SETTINGS.dailyBackupKeepDays) : 0)} />
        Back up the vault once a day
      </label>
      <label>
        Keep backups for (days)
        <input type="number" min={1} max={SETTINGS_BOUNDS.dailyBackupKeepDays.max} value={days} disabled={!on || busy} onChange={(e) => setDays(e.target.value)} onBlur={() => on && Number(days) !== status?.keepDays && void keep(Number(days))} />
      </label>
      <p className="plain hint" id="backup-folder">
        Folder: <code>{status?.folder ?? '…'}</code>
        {status && !status.customFolder && ' (the app’s own folder)'}
      </p>
      <p className="plain" role="status">
        {status ? dailyBackupWords(status) : ''}
      </p>
      {status?.lastError && (
        <p role="alert" className="error">
          The last backup failed: {status.lastError.message}
        </p>
      )}
      <ErrorNote error={error} />
      <p className="plain hint">Backups are encrypted; each opens with the master password of its day.</p>
      <div className="row">
        <button type="button" className="secondary" disabled={busy} aria-describedby="backup-folder" onClick={() => void act(() => window.tokenVault.backup.chooseFolder())}>
          Choose folder…
        </button>
        {status?.customFolder && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => window.tokenVault.backup.resetFolder())}>
            Use the app’s folder
          </button>
        )}
        <button type="button" className="secondary" disabled={busy || !on} onClick={() => void act(() => window.tokenVault.backup.runNow())}>
          Back up now
        </button>
      </div>
    </div>
  );
}

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const [lockTriggers, setLockTriggers] = useState<LockTriggers>();
  useEffect(() => {
    void window.tokenVault.desktop.getLockTriggers().then((r) => r.ok && setLockTriggers(r.value));
  }, []);
  const settings = useVault((s) => s.settings);
  const vault = useVault((s) => s.vault);
  const save = useVault((s) => s.saveSettings);
  const current = settings ?? DEFAULT_SETTINGS;
  const [autoLock, setAutoLock] = useState(String(current.autoLockMinutes));
  const [clipboard, setClipboard] = useState(String(current.clipboardClearSeconds));
  const [ladder, setLadder] = useState(current.warningDays.join(', '));
  const [lockOnScreenLock, setLockOnScreenLock] = useState(current.lockOnScreenLock);
  const [rotateEvery, setRotateEvery] = useState(current.rotationPolicy ? String(current.rotationPolicy.rotateEveryDays) : '');
  const [basis, setBasis] = useState<RotationBasis>(current.rotationPolicy?.basis ?? 'last-rotation');
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const warningDays = ladder.split(/[\s,]+/).filter(Boolean).map(Number);
    if (warningDays.some((d) => !Number.isInteger(d) || d < 0)) return setError({ code: 'invalid-argument', message: 'Write the warning days as whole numbers, e.g. 30, 7, 1.' });
    const rotationPolicy = rotateEvery.trim() === '' ? null : { rotateEveryDays: Number(rotateEvery), basis };
    const failure = await save({ autoLockMinutes: Number(autoLock), clipboardClearSeconds: Number(clipboard), warningDays, lockOnScreenLock, rotationPolicy });
    // The ladder and the global policy change what needs attention: the cards follow from main's `tokens:changed`.
    setError(failure);
    setSaved(!failure);
  };
  return (
    <Modal open wide onOpenChange={(open) => !open && onClose()} title="Settings" description={vault ? `Vault file: ${vault.path}` : undefined}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          Lock after idle (minutes, 0 = never)
          <input type="number" min={SETTINGS_BOUNDS.autoLockMinutes.min} max={SETTINGS_BOUNDS.autoLockMinutes.max} required value={autoLock} onChange={(e) => setAutoLock(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={lockOnScreenLock} aria-describedby="screen-lock-help" onChange={(e) => setLockOnScreenLock(e.target.checked)} />
          Lock when the screen locks
        </label>
        <p id="screen-lock-help" className="plain hint">
          {screenLockHelp(lockTriggers)}
        </p>
        <label>
          Clear copied secrets after (seconds, 0 = never)
          <input type="number" min={SETTINGS_BOUNDS.clipboardClearSeconds.min} max={SETTINGS_BOUNDS.clipboardClearSeconds.max} required value={clipboard} onChange={(e) => setClipboard(e.target.value)} />
        </label>
        <label>
          Warn before expiry (days)
          <input type="text" value={ladder} onChange={(e) => setLadder(e.target.value)} />
        </label>
        <fieldset>
          <legend>Rotation policy for all tokens</legend>
          <p className="plain hint">Applies to tokens whose own policy and workspace policy are unset.</p>
          <label>
            Rotate every (days, empty for none)
            <input type="number" min={SETTINGS_BOUNDS.rotateEveryDays.min} max={SETTINGS_BOUNDS.rotateEveryDays.max} value={rotateEvery} onChange={(e) => setRotateEvery(e.target.value)} />
          </label>
          <label>
            Count from
            <select value={basis} onChange={(e) => setBasis(e.target.value as RotationBasis)} disabled={rotateEvery.trim() === ''}>
              <option value="last-rotation">The last rotation</option>
              <option value="issue">The day the token was issued</option>
            </select>
          </label>
        </fieldset>
        <ErrorNote error={error} />
        {saved && <p role="status">Settings saved.</p>}
        <div className="row">
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
          <button type="submit">Save settings</button>
        </div>
      </form>
      <BackupSection />
      <KeychainSection />
      <PasswordSection />
    </Modal>
  );
}
