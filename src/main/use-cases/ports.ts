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
  /** Async where clearing runs a program (the command line's clip: xclip, wl-copy...). */
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

/**
 * The desktop's own file dialogs: main asks the OS, so the window never names a path it would have main read or
 * write. Both answer null when the user cancels.
 */
export interface DialogPort {
  /** A file to read (an import). */
  chooseFile(purpose: 'import'): Promise<string | null>;
  /** A folder to write into (daily backups) or to scan for tokens. */
  chooseFolder(purpose: 'backups' | 'scan'): Promise<string | null>;
}

/** A dialog port for places with no desktop (the command line): nothing is ever chosen. */
export const noDialogs: DialogPort = { chooseFile: async () => null, chooseFolder: async () => null };

/** Repeating work (the daily backup's check): a real interval in the app, driven by hand in tests. */
export interface TimerPort {
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemTimer: TimerPort = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    // A pending check never keeps the process alive.
    timer.unref();
    return () => clearInterval(timer);
  },
};
/** What the window may ask of the desktop besides the vault: open a link, say what locks the vault. */
export interface DesktopPort {
  /** Hands an already allowed link to the OS browser; `extraHosts` lets the shell re-check it. */
  openInBrowser(url: string, extraHosts: readonly string[]): Promise<boolean>;
  lockTriggers(): LockTriggers;
}
