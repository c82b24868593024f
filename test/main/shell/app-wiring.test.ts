import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveVaultPath } from '../../../src/cli/open-vault';
import { defaultUserDataDir } from '../../../src/main/vault-location';
import { noKeychain } from '../../../src/main/vault/keys/keychain';
import { Vault } from '../../../src/main/vault';

// Electron cannot run here. A recording stand-in for the parts of its API the entry file and the shell use shows
// what the app's entry (src/app/index.ts) asks of Electron, in which order, with the real service behind it (a real vault file).
type Call = [string, ...unknown[]];
const rec = vi.hoisted(() => {
  const state = {
    calls: [] as [string, ...unknown[]][],
    /** Electron's app object of the current run (made by the mock below). */
    app: undefined as unknown as import('node:events').EventEmitter & Record<string, unknown>,
    windows: [] as (import('node:events').EventEmitter & { titles: string[]; overlays: unknown[]; destroyed: boolean })[],
    trays: [] as { tooltips: string[]; titles: string[] }[],
    gotLock: true,
    ready: undefined as undefined | (() => void),
    exitCode: undefined as number | undefined,
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const note = (...call: [string, ...unknown[]]) => rec.calls.push(call);
  const app = new EventEmitter() as import('node:events').EventEmitter & Record<string, unknown>;
  rec.app = app;
  Object.assign(app, {
    isPackaged: true,
    setName: (n: string) => note('app.setName', n),
    setPath: (k: string, p: string) => note('app.setPath', k, p),
    getPath: (k: string) => {
      note('app.getPath', k);
      const set = [...rec.calls].reverse().find((c) => c[0] === 'app.setPath' && c[1] === k);
      return set?.[2] ?? '/nowhere';
    },
    getAppPath: () => '/app',
    setAppUserModelId: (id: string) => note('app.setAppUserModelId', id),
    requestSingleInstanceLock: () => (note('app.requestSingleInstanceLock'), rec.gotLock),
    quit: () => note('app.quit'),
    exit: (code: number) => {
      note('app.exit', code);
      rec.exitCode = code;
    },
    whenReady: () => new Promise<void>((resolve) => (rec.ready = resolve)),
    setBadgeCount: (n: number) => note('app.setBadgeCount', n),
    disableHardwareAcceleration: () => note('app.disableHardwareAcceleration'),
    dock: undefined,
  });
  class BrowserWindow extends EventEmitter {
    titles: string[] = [];
    overlays: unknown[] = [];
    destroyed = false;
    webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => undefined, send: () => undefined, isDestroyed: () => false, mainFrame: {} });
    constructor(options: unknown) {
      super();
      note('new BrowserWindow', options);
      rec.windows.push(this);
      this.on('closed', () => (this.destroyed = true));
    }
    loadFile(file: string) {
      note('win.loadFile', file);
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
    setTitle(t: string) {
      this.titles.push(t);
    }
    setOverlayIcon(image: unknown) {
      this.overlays.push(image);
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {
      note('win.show');
    }
    focus() {}
  }
  class Tray extends EventEmitter {
    tooltips: string[] = [];
    titles: string[] = [];
    constructor(image: unknown) {
      super();
      note('new Tray', image);
      rec.trays.push(this);
    }
    setToolTip(t: string) {
      this.tooltips.push(t);
    }
    setTitle(t: string) {
      this.titles.push(t);
    }
    setContextMenu() {}
    setImage() {}
    isDestroyed() {
      return false;
    }
  }
  return {
    app,
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => note('Menu.setApplicationMenu', m) },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false }),
    powerMonitor: Object.assign(new EventEmitter(), { getSystemIdleTime: () => 0 }),
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => note('session.permissions'),
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    ipcMain: { handle: (channel: string) => note('ipcMain.handle', channel), removeHandler: () => undefined },
    clipboard: { writeText: async () => undefined, readText: async () => '', clear: () => undefined },
    Notification: Object.assign(class {}, { isSupported: () => false }),
    shell: { openExternal: async () => undefined },
    dialog: { showMessageBox: async () => ({ response: 0 }) },
  };
});

const names = (calls: Call[]) => calls.map((c) => c[0]);
const DAY = 86_400_000;

let home: string;
const saved = { argv: process.argv, env: { ...process.env }, platform: process.platform };

async function startMain(argv: string[], platform: NodeJS.Platform = 'linux') {
  process.argv = argv;
  Object.defineProperty(process, 'platform', { value: platform });
  vi.resetModules();
  await import('../../../src/app/index');
}

beforeEach(() => {
  rec.calls.length = 0;
  rec.windows.length = 0;
  rec.trays.length = 0;
  rec.gotLock = true;
  rec.exitCode = undefined;
  rec.app?.removeAllListeners();
  home = mkdtempSync(join(tmpdir(), 'tv-wiring-'));
  // The user's own environment: no e2e override, a config folder of its own, no D-Bus to talk to.
  delete process.env['TOKEN_VAULT_USER_DATA'];
  delete process.env['TOKEN_VAULT_PATH'];
  delete process.env['DBUS_SESSION_BUS_ADDRESS'];
  process.env['DBUS_SYSTEM_BUS_ADDRESS'] = `unix:path=${join(home, 'no-system-bus')}`;
  process.env['XDG_CONFIG_HOME'] = join(home, 'config');
  process.env['HOME'] = home;
  process.env['APPDATA'] = join(home, 'AppData', 'Roaming');
  // Electron sets this: where the packaged app's resources (icons, launchers) are.
  Object.defineProperty(process, 'resourcesPath', { value: join(home, 'resources'), configurable: true });
});

afterEach(() => {
  process.argv = saved.argv;
  process.env = { ...saved.env };
  Object.defineProperty(process, 'platform', { value: saved.platform });
  rmSync(home, { recursive: true, force: true });
});

/** A vault in the user's folder with one 33-day token expiring in 3 days: the attention count is 1 while locked. */
async function seedVault(platform: NodeJS.Platform = 'linux'): Promise<string> {
  const path = join(defaultUserDataDir(process.env, platform), 'vault.db');
  mkdirSync(dirname(path), { recursive: true });
  const vault = await Vault.create(path, { password: 'correct horse battery', useKeychain: false, keychain: noKeychain });
  const ws = vault.workspaces.create({ kind: 'manual', name: 'Ops' });
  vault.tokens.storeIssued({ workspaceId: ws.id, name: 'soon', secret: 'sec_soon_0123456789', prefix: 'sec_', createdAt: new Date(Date.now() - 30 * DAY).toISOString(), expiresAt: new Date(Date.now() + 3.5 * DAY).toISOString() });
  vault.close();
  return path;
}

describe('the desktop app', () => {
  it('names itself and sets the user-data folder (the command line\'s) before anything reads it, then takes the single-instance lock', async () => {
    await startMain(['/opt/Token Vault/token-vault']);
    const order = names(rec.calls);
    expect(order.slice(0, 3)).toEqual(['app.setName', 'app.setPath', 'app.requestSingleInstanceLock']);
    expect(rec.calls[0]).toEqual(['app.setName', 'Token Vault']);
    expect(rec.calls[1]).toEqual(['app.setPath', 'userData', join(home, 'config', 'Token Vault')]);
    expect(rec.calls[1]?.[2]).toBe(dirname(resolveVaultPath(undefined, process.env)));
    expect(order).not.toContain('app.setAppUserModelId');
  });

  it('creates the tray and the window before the reminders run, so the first count reaches both', async () => {
    await seedVault();
    await startMain(['/opt/Token Vault/token-vault']);
    rec.ready?.();
    await vi.waitFor(() => expect(names(rec.calls)).toContain('ipcMain.handle'));
    const order = names(rec.calls);
    const firstBadge = order.indexOf('app.setBadgeCount');
    expect(order.indexOf('new Tray')).toBeLessThan(firstBadge);
    expect(order.indexOf('new BrowserWindow')).toBeLessThan(firstBadge);
    expect(rec.calls[firstBadge]).toEqual(['app.setBadgeCount', 1]);
    expect(rec.trays[0]?.tooltips.at(-1)).toBe('Token Vault: 1 token needs attention');
    expect(rec.windows[0]?.titles.at(-1)).toBe('Token Vault (1 need attention)');
    // Real images, not an empty one: the tray (colour on Linux) and the window icon.
    expect(rec.calls.find((c) => c[0] === 'new Tray')?.[1]).toEqual({ path: join(home, 'resources', 'icons', 'tray-color.png') });
    expect(rec.calls.find((c) => c[0] === 'new BrowserWindow')?.[1]).toMatchObject({ icon: join(home, 'resources', 'icons', 'app.png') });
  });

  it('macOS: clicking the dock icon after the window was closed opens a new one, which shows the count at once', async () => {
    await seedVault('darwin');
    await startMain(['/Applications/Token Vault.app/Contents/MacOS/Token Vault'], 'darwin');
    rec.ready?.();
    await vi.waitFor(() => expect(rec.windows).toHaveLength(1));
    await vi.waitFor(() => expect(rec.trays[0]?.titles.at(-1)).toBe(' 1'));
    rec.windows[0]?.emit('closed');
    rec.app.emit('window-all-closed');
    expect(names(rec.calls)).not.toContain('app.quit');
    rec.app.emit('activate');
    expect(rec.windows).toHaveLength(2);
    expect(rec.windows[1]?.titles.at(-1)).toBe('Token Vault (1 need attention)');
    rec.app.emit('activate');
    expect(rec.windows).toHaveLength(2);
  });

  it('Windows: sets the AppUserModelId (the installer shortcut\'s appId) before any window or notification', async () => {
    await startMain(['C:\\Program Files\\Token Vault\\Token Vault.exe'], 'win32');
    expect(rec.calls[2]).toEqual(['app.setAppUserModelId', 'dev.tokenvault.app']);
    expect(rec.calls[1]).toEqual(['app.setPath', 'userData', join(home, 'AppData', 'Roaming', 'Token Vault')]);
  });

  it('a second instance only hands over to the first: no window, no service', async () => {
    rec.gotLock = false;
    await startMain(['/opt/Token Vault/token-vault', '--no-sandbox']);
    expect(names(rec.calls)).toEqual(['app.setName', 'app.setPath', 'app.requestSingleInstanceLock', 'app.quit']);
  });
});

describe('the command line inside the packaged app', () => {
  it('runs `token-vault list --json` with no window and no single-instance lock, and exits with its code', async () => {
    await seedVault();
    process.env['TOKEN_VAULT_PASSWORD'] = 'correct horse battery';
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      // As the .deb's launcher starts it: Chromium switches first, then --cli, then the command.
      await startMain(['/opt/Token Vault/token-vault', '--cli', '--ozone-platform=headless', '--disable-gpu', 'list', '--json']);
      await vi.waitFor(() => expect(rec.exitCode).toBeDefined(), { timeout: 20_000 });
    } finally {
      write.mockRestore();
    }
    expect(rec.exitCode).toBe(0);
    const order = names(rec.calls);
    expect(order).not.toContain('app.requestSingleInstanceLock');
    expect(order).not.toContain('new BrowserWindow');
    expect(order).not.toContain('new Tray');
    // Chromium's own profile goes elsewhere, never into the running app's folder.
    const session = rec.calls.find((c) => c[0] === 'app.setPath' && c[1] === 'sessionData');
    expect(String(session?.[2])).not.toContain(join(home, 'config'));
    expect(JSON.parse(out.join(''))).toEqual([expect.objectContaining({ name: 'soon', workspace: 'Ops' })]);
  }, 30_000);

  it('a usage error exits 2, still without a window', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await startMain(['/opt/Token Vault/token-vault', '--cli', 'frobnicate']);
      await vi.waitFor(() => expect(rec.exitCode).toBeDefined(), { timeout: 20_000 });
    } finally {
      err.mockRestore();
    }
    expect(rec.exitCode).toBe(2);
    expect(names(rec.calls)).not.toContain('new BrowserWindow');
  }, 30_000);
});
