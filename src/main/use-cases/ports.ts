import type { EventMap, EventName } from '../../shared/ipc-contract';
import type { LockTriggers } from '../../shared/ipc/desktop-channels';

/**
 * What the service needs from the desktop, as small interfaces: Electron's clipboard, notifications and window
 * events in the app (src/main/shell), plain stand-ins in the command line and in the end-to-end bridge.
 */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  /**
   * `selection` is Linux's PRIMARY selection (the middle-click buffer): selecting text puts it there without any
   * copy. Elsewhere there is none, and it reads as empty.
   */
  readText(buffer?: ClipboardBuffer): Promise<string>;
  /** Async where clearing runs a program (`token-vault clip`: xclip, wl-copy...). */
  clear(buffer?: ClipboardBuffer): void | Promise<void>;
}

export type ClipboardBuffer = 'clipboard' | 'selection';

export interface NotifierPort {
  /** One desktop notification. Never put a secret in it. */
  notify(title: string, body: string): void;
  /** The count shown on the dock/taskbar badge and in the tray tooltip. */
  setAttentionCount(count: number): void;
}

export type EmitEvent = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What the window may ask of the desktop besides the vault: open a link, say what locks the vault. */
export interface DesktopPort {
  /** Hands an already allowed link to the OS browser; `extraHosts` lets the shell re-check it. */
  openInBrowser(url: string, extraHosts: readonly string[]): Promise<boolean>;
  lockTriggers(): LockTriggers;
}
