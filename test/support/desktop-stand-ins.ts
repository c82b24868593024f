import type { ClipboardPort, NotifierPort } from '../../src/main/use-cases/ports';

/** Stands in for Electron's clipboard (not our code) where no desktop session exists. */
export class MemoryClipboard implements ClipboardPort {
  text = '';
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
  async readText(): Promise<string> {
    return this.text;
  }
  clear(): void {
    this.text = '';
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
