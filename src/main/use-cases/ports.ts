import type { EventMap, EventName } from '../../shared/ipc-contract';

/**
 * What the service needs from the desktop, as small interfaces: Electron's clipboard, notifications and window
 * events in the app (src/main/shell), plain stand-ins in the command line and in the end-to-end bridge.
 */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): void | Promise<void>;
}

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
