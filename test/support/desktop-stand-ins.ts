import type { LockTriggers } from '../../src/shared/ipc/desktop-channels';
import type { ClipboardBuffer, ClipboardPort, DesktopPort, NotifierPort, DialogPort } from '../../src/main/use-cases/ports';

/**
 * Stands in for Electron's clipboard (not our code) where no desktop session exists. `selection` is Linux's
 * PRIMARY buffer: a test puts text there as selecting it in a field would.
 */
export class MemoryClipboard implements ClipboardPort {
  text = '';
  selection = '';
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
  async readText(buffer: ClipboardBuffer = 'clipboard'): Promise<string> {
    return buffer === 'selection' ? this.selection : this.text;
  }
  clear(buffer: ClipboardBuffer = 'clipboard'): void {
    if (buffer === 'selection') this.selection = '';
    else this.text = '';
  }
}

/** Stands in for shell.openExternal and the lock-screen report: records what the app asked the OS to open. */
export class RecordingDesktop implements DesktopPort {
  readonly opened: string[] = [];
  constructor(private readonly triggers: LockTriggers = { platform: 'linux', screenLock: 'desktop-signals', sources: ['logind', 'screensaver'] }) {}
  async openInBrowser(url: string): Promise<boolean> {
    this.opened.push(url);
    return true;
  }
  lockTriggers(): LockTriggers {
    return this.triggers;
  }
}

/** Stands in for Electron's Notification and badge: records what the app asked the desktop to show. */
export class RecordingNotifier implements NotifierPort {
  readonly notifications: { title: string; body: string }[] = [];
  attentionCount = 0;
  notify(title: string, body: string): void {
    this.notifications.push({ title, body });
  }
  setAttentionCount(count: number): void {
    this.attentionCount = count;
  }
}

/**
 * Stands in for the OS file dialogs (Electron's dialog.showOpenDialog, not our code): answers with the path a spec
 * set, as a user picking that file or folder would; null is the user pressing Cancel.
 */
export class StandInDialogs implements DialogPort {
  file: string | null = null;
  folder: string | null = null;
  readonly asked: string[] = [];
  async chooseFile(purpose: 'import'): Promise<string | null> {
    this.asked.push(purpose);
    return this.file;
  }
  async chooseFolder(purpose: 'backups' | 'scan'): Promise<string | null> {
    this.asked.push(purpose);
    return this.folder;
  }
}
