import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dbusNative from '@homebridge/dbus-native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScreenLockSignal, socketPathOf, watchScreenLock, type ScreenLockSource } from '../../../src/main/shell/linux-screen-lock';

const SESSION_PATH = '/org/freedesktop/login1/session/_32';

describe('which D-Bus signals mean "the screen locked"', () => {
  it.each([
    ['GNOME Shell', { type: 4, interface: 'org.gnome.ScreenSaver', member: 'ActiveChanged', body: [true] }, true],
    ['KDE / freedesktop', { type: 4, path: '/ScreenSaver', interface: 'org.freedesktop.ScreenSaver', member: 'ActiveChanged', body: [true] }, true],
    ['Cinnamon', { interface: 'org.cinnamon.ScreenSaver', member: 'ActiveChanged', body: [true] }, true],
    ['the screen unlocking', { interface: 'org.gnome.ScreenSaver', member: 'ActiveChanged', body: [false] }, false],
    ['logind Lock on our session', { interface: 'org.freedesktop.login1.Session', member: 'Lock', path: SESSION_PATH, body: [] }, true],
    ["logind Lock on another user's session", { interface: 'org.freedesktop.login1.Session', member: 'Lock', path: '/org/freedesktop/login1/session/_33', body: [] }, false],
    ['logind Unlock', { interface: 'org.freedesktop.login1.Session', member: 'Unlock', path: SESSION_PATH }, false],
    ['a method call shaped like the signal', { type: 1, interface: 'org.gnome.ScreenSaver', member: 'ActiveChanged', body: [true] }, false],
    ['another interface', { interface: 'org.example.ScreenSaver', member: 'ActiveChanged', body: [true] }, false],
  ])('%s', (_name, message, locked) => expect(isScreenLockSignal(message, SESSION_PATH)).toBe(locked));

  it('reads bus addresses, abstract ones too', () => {
    expect(socketPathOf('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(socketPathOf('unix:abstract=/tmp/dbus-XYZ,guid=abc')).toBe('\0/tmp/dbus-XYZ');
    expect(socketPathOf('tcp:host=localhost,port=1;unix:path=/tmp/a%20b')).toBe('/tmp/a b');
    expect(socketPathOf('')).toBeNull();
    expect(socketPathOf(undefined)).toBeNull();
  });
});

// Two real dbus-daemons stand for the session bus and the system bus; a small service on the second one answers
// like logind's Manager. The signals are sent by dbus-send, as a desktop would send them.
const haveDbus = spawnSync('dbus-daemon', ['--version']).status === 0;

describe.skipIf(!haveDbus)('the watcher on a real dbus-daemon', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-dbus-'));
  const daemons: ChildProcess[] = [];
  let sessionAddress = '';
  let systemAddress = '';
  let logind: { connection: { end(): void } } | undefined;
  let screensaver: { connection: { end(): void } } | undefined;
  type Client = { connection: { end(): void }; requestName(n: string, f: number, cb: (e: unknown) => void): void; exportInterface(o: object, p: string, i: object): void };
  const client = (path: string) => (dbusNative as unknown as { createClient(o: { stream: unknown }): Client }).createClient({ stream: createConnection({ path }) });
  const own = (bus: Client, name: string) => new Promise<void>((resolve, reject) => bus.requestName(name, 4, (e) => (e ? reject(e) : resolve())));

  // The session bus listens on an abstract socket, as dbus-run-session's and dbus-launch's do.
  const startDaemon = (name: string, kind: 'path' | 'abstract') =>
    new Promise<string>((resolve, reject) => {
      const address = `unix:${kind}=${join(dir, name)}`;
      const child = spawn('dbus-daemon', ['--session', '--nofork', `--address=${address}`, '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
      daemons.push(child);
      child.once('error', reject);
      child.stdout.once('data', () => resolve(address));
    });

  const send = (address: string, path: string, member: string, ...args: string[]) => {
    const run = spawnSync('dbus-send', [`--bus=${address}`, '--type=signal', path, member, ...args], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  };

  beforeAll(async () => {
    sessionAddress = await startDaemon('session', 'abstract');
    systemAddress = await startDaemon('system', 'path');
    // Stand-in for logind: owns org.freedesktop.login1 and answers GetSessionByPID with our session's path.
    const bus = client(join(dir, 'system'));
    bus.exportInterface({ GetSessionByPID: () => SESSION_PATH, GetSession: () => SESSION_PATH }, '/org/freedesktop/login1', {
      name: 'org.freedesktop.login1.Manager',
      methods: { GetSessionByPID: ['u', 'o'], GetSession: ['s', 'o'] },
      signals: {},
    });
    await own(bus, 'org.freedesktop.login1');
    logind = bus;
    // Stand-in for GNOME Shell's screen shield: it owns org.gnome.ScreenSaver (the signals come from dbus-send).
    screensaver = client('\0' + join(dir, 'session'));
    await own(screensaver as Client, 'org.gnome.ScreenSaver');
  });

  afterAll(() => {
    logind?.connection.end();
    screensaver?.connection.end();
    for (const d of daemons) d.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('locks on ActiveChanged(true) from GNOME and KDE, and on logind Lock for our session only', async () => {
    const locks: ScreenLockSource[] = [];
    const problems: string[] = [];
    const watch = await watchScreenLock({ sessionBusAddress: sessionAddress, systemBusAddress: systemAddress, pid: process.pid, xdgSessionId: undefined, onLock: (s) => locks.push(s), onProblem: (p) => problems.push(p) });
    try {
      expect(problems).toEqual([]);
      expect(watch.sources).toEqual(['logind', 'screensaver']);

      send(sessionAddress, '/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver.ActiveChanged', 'boolean:false');
      send(systemAddress, '/org/freedesktop/login1/session/_33', 'org.freedesktop.login1.Session.Lock');
      send(sessionAddress, '/org/gnome/ScreenSaver', 'org.gnome.ScreenSaver.ActiveChanged', 'boolean:true');
      await expect.poll(() => locks).toEqual(['screensaver']);

      send(sessionAddress, '/ScreenSaver', 'org.freedesktop.ScreenSaver.ActiveChanged', 'boolean:true');
      await expect.poll(() => locks).toEqual(['screensaver', 'screensaver']);

      send(systemAddress, SESSION_PATH, 'org.freedesktop.login1.Session.Lock');
      await expect.poll(() => locks).toEqual(['screensaver', 'screensaver', 'logind']);
    } finally {
      watch.close();
    }
  });

  it('says what is missing, and does not throw, where a bus is absent or silent', async () => {
    const problems: string[] = [];
    const watch = await watchScreenLock({
      sessionBusAddress: undefined,
      systemBusAddress: `unix:path=${join(dir, 'nobody-listens-here')}`,
      pid: process.pid,
      xdgSessionId: undefined,
      onLock: () => undefined,
      onProblem: (p) => problems.push(p),
      timeoutMs: 1000,
    });
    watch.close();
    expect(watch.sources).toEqual([]);
    expect(problems.join('\n')).toMatch(/no session bus/);
    expect(problems.join('\n')).toMatch(/system bus: .*ENOENT/);
  });

  it('does not promise a screen saver the session bus does not have, but still hears one that starts later', async () => {
    screensaver?.connection.end();
    screensaver = undefined;
    await new Promise((r) => setTimeout(r, 100));
    const problems: string[] = [];
    const locks: ScreenLockSource[] = [];
    const watch = await watchScreenLock({ sessionBusAddress: sessionAddress, systemBusAddress: systemAddress, pid: process.pid, xdgSessionId: undefined, onLock: (s) => locks.push(s), onProblem: (p) => problems.push(p) });
    try {
      expect(watch.sources).toEqual(['logind']);
      expect(problems).toEqual(['no screen saver on the session bus']);
      send(sessionAddress, '/org/mate/ScreenSaver', 'org.mate.ScreenSaver.ActiveChanged', 'boolean:true');
      await expect.poll(() => locks).toEqual(['screensaver']);
    } finally {
      watch.close();
    }
  });

  it('skips logind where no session is known for the process', async () => {
    logind?.connection.end();
    logind = undefined;
    const problems: string[] = [];
    const watch = await watchScreenLock({ sessionBusAddress: sessionAddress, systemBusAddress: systemAddress, pid: process.pid, xdgSessionId: undefined, onLock: () => undefined, onProblem: (p) => problems.push(p) });
    watch.close();
    expect(watch.sources).toEqual([]);
    expect(problems.sort()).toEqual(['logind knows no session for this process', 'no screen saver on the session bus']);
  });
});
