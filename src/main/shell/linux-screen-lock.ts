import { createConnection, type Socket } from 'node:net';
import * as dbusNative from '@homebridge/dbus-native';

/**
 * Linux has no powerMonitor 'lock-screen' (Electron fires it on macOS and Windows only), so the app listens to what
 * the desktop announces on D-Bus: the screen savers' ActiveChanged(true) on the session bus (GNOME, KDE and the
 * freedesktop name, Cinnamon, MATE, Xfce), and logind's Lock on this login session's object on the system bus
 * (`loginctl lock-session`, and what most lockers are asked to do). Plain Node; tested against a real dbus-daemon.
 */
export const SCREENSAVER_INTERFACES = [
  'org.freedesktop.ScreenSaver',
  'org.gnome.ScreenSaver',
  'org.cinnamon.ScreenSaver',
  'org.mate.ScreenSaver',
  'org.xfce.ScreenSaver',
] as const;
export const LOGIND_SESSION_INTERFACE = 'org.freedesktop.login1.Session';

/** The fields of a D-Bus message this module reads. */
export interface BusSignal {
  type?: number;
  path?: string;
  interface?: string;
  member?: string;
  body?: unknown[];
}

const SIGNAL = 4;

/**
 * Does this message say the screen just locked? A screen saver's ActiveChanged(true), or logind's Lock on OUR
 * session's object (another user's session locking is not ours). Anything else, including ActiveChanged(false)
 * (unlocked), is not.
 */
export function isScreenLockSignal(message: BusSignal, sessionPath: string | null): boolean {
  if (message.type !== undefined && message.type !== SIGNAL) return false;
  if (message.member === 'ActiveChanged' && (SCREENSAVER_INTERFACES as readonly string[]).includes(message.interface ?? '')) {
    return message.body?.[0] === true;
  }
  return message.interface === LOGIND_SESSION_INTERFACE && message.member === 'Lock' && sessionPath !== null && message.path === sessionPath;
}

/** The match rules to ask each bus for. No sender filter: a forged signal can only lock the vault, never open it. */
export function matchRules(sessionPath: string | null): { session: string[]; system: string[] } {
  return {
    session: SCREENSAVER_INTERFACES.map((i) => `type='signal',interface='${i}',member='ActiveChanged'`),
    system: sessionPath ? [`type='signal',interface='${LOGIND_SESSION_INTERFACE}',member='Lock',path='${sessionPath}'`] : [],
  };
}

/**
 * A D-Bus address (`unix:path=...`, `unix:abstract=...`, several separated by `;`) to a socket. The library's own
 * parser needs an optional native module for abstract sockets; Node connects to them itself on Linux.
 */
export function socketPathOf(address: string | undefined): string | null {
  if (!address) return null;
  for (const entry of address.split(';')) {
    const [family, params = ''] = entry.split(/:(.*)/s);
    if (family !== 'unix') continue;
    const values = new Map(params.split(',').map((p) => p.split(/=(.*)/s) as [string, string]));
    const unescape = (v: string) => v.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (values.get('path')) return unescape(values.get('path') ?? '');
    if (values.get('abstract')) return '\0' + unescape(values.get('abstract') ?? '');
  }
  return null;
}

export type ScreenLockSource = 'screensaver' | 'logind';

export interface ScreenLockWatch {
  /** What is being listened to; empty when neither bus answered. */
  sources: ScreenLockSource[];
  close(): void;
}

export interface WatchOptions {
  sessionBusAddress: string | undefined;
  systemBusAddress: string | undefined;
  /** Finds our logind session: this process's, else $XDG_SESSION_ID's. */
  pid: number;
  xdgSessionId: string | undefined;
  onLock(source: ScreenLockSource): void;
  onProblem(message: string): void;
  /** How long one bus may take to answer before it counts as missing. */
  timeoutMs?: number;
}

interface Bus {
  connection: NodeJS.EventEmitter & { end(): void };
  invoke(message: Record<string, unknown>, callback: (error: unknown, value: unknown) => void): void;
  addMatch(rule: string, callback: (error: unknown) => void): void;
}

function connect(path: string, timeoutMs: number): Promise<{ bus: Bus; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const bus = (dbusNative as unknown as { createClient(options: { stream: Socket }): Bus }).createClient({ stream: socket });
    const timer = setTimeout(() => fail(new Error('no answer')), timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    bus.connection.on('error', fail);
    // GetId answers once the handshake and Hello are through.
    bus.invoke({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'GetId' }, (error) => {
      if (error) return fail(new Error(describe(error)));
      clearTimeout(timer);
      bus.connection.removeListener('error', fail);
      resolve({ bus, socket });
    });
  });
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : Array.isArray(error) ? error.join(' ') : typeof error === 'object' && error && 'name' in error ? String((error as { name: unknown }).name) : String(error);

function call<T>(bus: Bus, message: Record<string, unknown>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
    bus.invoke(message, (error, value) => {
      clearTimeout(timer);
      if (error) reject(new Error(describe(error)));
      else resolve(value as T);
    });
  });
}

const addMatches = (bus: Bus, rules: string[], timeoutMs: number) =>
  Promise.all(rules.map((rule) => call(bus, { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: [rule] }, timeoutMs)));

async function logindSessionPath(bus: Bus, pid: number, xdgSessionId: string | undefined, timeoutMs: number): Promise<string | null> {
  const manager = { destination: 'org.freedesktop.login1', path: '/org/freedesktop/login1', interface: 'org.freedesktop.login1.Manager' };
  try {
    return await call<string>(bus, { ...manager, member: 'GetSessionByPID', signature: 'u', body: [pid] }, timeoutMs);
  } catch {
    // Started outside the login session (a systemd user service): ask by the session id the desktop exported.
  }
  if (!xdgSessionId) return null;
  try {
    return await call<string>(bus, { ...manager, member: 'GetSession', signature: 's', body: [xdgSessionId] }, timeoutMs);
  } catch {
    return null;
  }
}

/**
 * Listens on both buses; each one that is missing (no session bus over SSH, no logind in a container) is reported
 * through onProblem and skipped, never thrown. Resolves once both have answered or given up.
 */
export async function watchScreenLock(options: WatchOptions): Promise<ScreenLockWatch> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const sources: ScreenLockSource[] = [];
  const open: Socket[] = [];

  const listen = (bus: Bus, sessionPath: string | null, source: ScreenLockSource) => {
    bus.connection.on('message', (message: BusSignal) => {
      if (isScreenLockSignal(message, sessionPath)) options.onLock(source);
    });
    // A bus that goes away later (the desktop restarted its bus) must not take the app down.
    bus.connection.on('error', (error: unknown) => options.onProblem(`${source} bus: ${describe(error)}`));
  };

  const session = (async () => {
    const path = socketPathOf(options.sessionBusAddress);
    if (!path) return options.onProblem('no session bus (DBUS_SESSION_BUS_ADDRESS is not set)');
    try {
      const { bus, socket } = await connect(path, timeoutMs);
      open.push(socket);
      await addMatches(bus, matchRules(null).session, timeoutMs);
      listen(bus, null, 'screensaver');
      // Listening costs nothing, but Settings may only promise what this desktop has: a screen saver that owns (or
      // can be started under) one of these names. A locker that appears later is still heard.
      const dbusCall = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus' };
      const [owned, activatable] = await Promise.all([
        call<string[]>(bus, { ...dbusCall, member: 'ListNames' }, timeoutMs),
        call<string[]>(bus, { ...dbusCall, member: 'ListActivatableNames' }, timeoutMs),
      ]);
      const names = new Set([...owned, ...activatable]);
      if (SCREENSAVER_INTERFACES.some((name) => names.has(name))) sources.push('screensaver');
      else options.onProblem('no screen saver on the session bus');
    } catch (error) {
      options.onProblem(`session bus: ${describe(error)}`);
    }
  })();

  const system = (async () => {
    const path = socketPathOf(options.systemBusAddress ?? 'unix:path=/run/dbus/system_bus_socket');
    if (!path) return options.onProblem('no system bus');
    try {
      const { bus, socket } = await connect(path, timeoutMs);
      open.push(socket);
      const sessionPath = await logindSessionPath(bus, options.pid, options.xdgSessionId, timeoutMs);
      if (!sessionPath) {
        socket.destroy();
        return options.onProblem('logind knows no session for this process');
      }
      await addMatches(bus, matchRules(sessionPath).system, timeoutMs);
      listen(bus, sessionPath, 'logind');
      sources.push('logind');
    } catch (error) {
      options.onProblem(`system bus: ${describe(error)}`);
    }
  })();

  await Promise.all([session, system]);
  sources.sort();
  return {
    sources,
    close: () => {
      for (const socket of open) socket.destroy();
    },
  };
}
