import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, chromium, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import type { EventMap, EventName } from '../../src/shared/ipc-contract';
import { createAppService, type AppService } from '../../src/main/ipc/create-app-service';
import { noKeychain, type Keychain } from '../../src/main/vault/keys/keychain';
import { CHEAP_SCRYPT, Vault } from '../../src/main/vault';
import { CONTENT_SECURITY_POLICY, cspHeader } from '../../src/main/shell/window-security';
import { installPreloadBridge, type BridgeEmit } from '../support/preload-bridge';
import { serveDirectory } from '../support/static-server';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { MemoryClipboard, RecordingDesktop, RecordingNotifier, StandInDialogs } from '../support/desktop-stand-ins';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export const TEST_PASSWORD = 'correct horse battery';

/**
 * The app under test, the same to every spec whichever project runs it. Where a project cannot do something (the
 * bridge has no real clipboard; Electron has no recording notifier), the method says how it reads the same fact.
 */
export interface AppUnderTest {
  project: 'chromium' | 'electron';
  page: Page;
  /** The user-data folder of this run: the vault file lives here. */
  userDataDir: string;
  vaultPath: string;
  /** The real main-side service (bridge runs only; in Electron it lives in the app's process). */
  service?: AppService;
  /** Bridge runs only: what the app asked the desktop to show. */
  notifier?: RecordingNotifier;
  /** Bridge runs only: the OS file dialogs' stand-in (set the file or folder the "user" picks). */
  dialogs?: StandInDialogs;
  clipboardText(buffer?: 'clipboard' | 'selection'): Promise<string>;
  writeClipboard(text: string, buffer?: 'clipboard' | 'selection'): Promise<void>;
  /** Links the app handed to the OS browser. */
  openedLinks(): Promise<string[]>;
  /** Sends a main -> renderer event, as the shell does with webContents.send. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): Promise<void>;
  /** The OS reports a screen lock (powerMonitor in Electron; the same session call in the bridge). */
  screenLocked(): Promise<void>;
  /** Whether a system keychain answers the app (asked through the page's own API). */
  keychainAvailable(): Promise<boolean>;
  /** Electron only: (re)starts the app on the vault file as it is now. */
  relaunch?(): Promise<void>;
}

/**
 * `app`: the built renderer with the real main-side service behind it.
 * - project "chromium": Debian's Chromium loads out/renderer over http://127.0.0.1; the page gets window.tokenVault
 *   from the same buildApi() the preload uses, and every call goes through the same dispatcher (sender check, zod,
 *   Result envelope) into the real service in this process. The page's permissions are the app session's.
 * - project "electron": the real app through _electron.launch, skipped with the reason where no binary exists.
 *   Vaults are seeded by writing the file through the service under Node before the app starts (openUnlockedVault),
 *   and read back through a second handle on the same file, as the command line does: no test channel in the app.
 * `keychain`: "system" is the machine's Secret Service (npm test runs Playwright inside a private gnome-keyring);
 * "none" is the app's own no-keychain path, for specs of the master-password-only flows (in Electron: no session
 * bus, so keytar finds no Secret Service).
 * Every page is watched for Content-Security-Policy violations: one fails the test.
 * One Chromium per worker, started at its first bridge test; each test has a browser context of its own (its own
 * storage, permissions and page), as a fresh browser would give it. A failed test ends its worker, browser included.
 */
export const test = base.extend<{ app: AppUnderTest; keychain: 'system' | 'none' }, { sharedChromium: () => Promise<Browser> }>({
  keychain: ['system', { option: true }],
  sharedChromium: [
    async ({}, use) => {
      let launched: Promise<Browser> | undefined;
      await use(() => (launched ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })));
      if (launched) await (await launched).close();
    },
    { scope: 'worker' },
  ],
  app: async ({ keychain, sharedChromium }, use, testInfo) => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'token-vault-e2e-'));
    try {
      if (testInfo.project.name === 'electron') {
        const binary = findElectronBinary();
        if (!binary.path) console.log(`[electron] skipped "${testInfo.title}": ${binary.reason}`);
        testInfo.skip(!binary.path, `Electron project skipped: ${binary.reason}`);
        await runInElectron(binary.path ?? '', userDataDir, keychain, use);
        return;
      }
      await runInChromium(await sharedChromium(), userDataDir, keychain === 'none' ? noKeychain : undefined, use);
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  },
});

const watchCsp = async (page: Page) => {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __cspViolations?: string[] };
      (w.__cspViolations ??= []).push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
};
const cspViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => [] as string[]);

async function runInChromium(browser: Browser, userDataDir: string, keychain: Keychain | undefined, use: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const server = await serveDirectory(resolve('out/renderer'), cspHeader(CONTENT_SECURITY_POLICY));
  const clipboard = new MemoryClipboard();
  const notifier = new RecordingNotifier();
  const desktop = new RecordingDesktop();
  const dialogs = new StandInDialogs();
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  // Events sent before the bridge is installed have no page to go to; the service starts with none pending.
  let emit: BridgeEmit = async () => {};
  // Vaults made here use the scrypt floor: a vault per test, not a 300 ms KDF per test and per unlock. The app's own
  // service calibrates (no `kdf`), as the command line's `init` does in its tests.
  const service = createAppService({ userDataDir, clipboard, notifier, keychain, desktop, dialogs, kdf: CHEAP_SCRYPT, emit: (e, p) => void emit(e, p).catch(() => {}) });
  emit = await installPreloadBridge(page, service, new URL(server.url).origin);
  await watchCsp(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  let violations: string[] | undefined;
  try {
    await use({
      project: 'chromium',
      page,
      userDataDir,
      vaultPath: service.session.path,
      service,
      notifier,
      dialogs,
      clipboardText: async (buffer = 'clipboard') => clipboard.readText(buffer),
      writeClipboard: async (text, buffer = 'clipboard') => {
        if (buffer === 'selection') clipboard.selection = text;
        else await clipboard.writeText(text);
      },
      openedLinks: async () => [...desktop.opened],
      emit: (event, payload) => emit(event, payload),
      screenLocked: async () => service.session.lockForScreenLock(),
      keychainAvailable: () => service.session.keychain.isAvailable(),
    });
    violations = await cspViolations(page);
  } finally {
    service.close();
    await context.close();
    await server.close();
  }
  if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
  if (violations && violations.length > 0) throw new Error(`the page broke its Content-Security-Policy: ${violations.join('; ')}`);
}

async function runInElectron(executablePath: string, userDataDir: string, keychain: 'system' | 'none', use: (app: AppUnderTest) => Promise<void>): Promise<void> {
  let electronApp: ElectronApplication | undefined;
  let page: Page | undefined;
  const launch = async () => {
    await electronApp?.close();
    electronApp = await _electron.launch({
      executablePath,
      args: [resolve('out/main/index.js')],
      env: {
        ...process.env,
        TOKEN_VAULT_USER_DATA: userDataDir,
        ...(keychain === 'none' ? { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(userDataDir, 'no-session-bus')}` } : {}),
      },
    });
    // shell.openExternal is Electron's, not ours: record what the safe opener hands it instead of opening a browser.
    await electronApp.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as unknown as { __opened: string[] }).__opened = opened;
      shell.openExternal = async (url: string) => void opened.push(url);
    });
    page = await electronApp.firstWindow();
    await watchCsp(page);
    await page.reload();
  };
  await launch();
  const main = () => {
    if (!electronApp) throw new Error('the app is not running');
    return electronApp;
  };
  // Specs take `page` from the app before openUnlockedVault relaunches it: hand them one that always speaks to the
  // current window.
  const currentPage = new Proxy({} as Page, {
    get: (_target, property) => {
      if (!page) throw new Error('the app has no window');
      const value = Reflect.get(page, property, page) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(page) : value;
    },
  });
  const app: AppUnderTest = {
    project: 'electron',
    page: currentPage,
    userDataDir,
    vaultPath: join(userDataDir, 'vault.db'),
    clipboardText: (buffer = 'clipboard') => main().evaluate(async ({ clipboard }, b) => ((await (b === 'selection' ? clipboard.selection : clipboard)?.readText()) ?? ''), buffer),
    writeClipboard: async (text, buffer = 'clipboard') => {
      await main().evaluate(async ({ clipboard }, [t, b]) => (b === 'selection' ? clipboard.selection : clipboard)?.writeText(t), [text, buffer] as const);
    },
    openedLinks: () => main().evaluate(() => [...(globalThis as unknown as { __opened: string[] }).__opened]),
    emit: async (event, payload) => {
      await main().evaluate(({ BrowserWindow }, [e, p]) => BrowserWindow.getAllWindows()[0]?.webContents.send(e, p), [event, payload] as const);
    },
    screenLocked: async () => {
      await main().evaluate(({ powerMonitor }) => void powerMonitor.emit('lock-screen'));
    },
    keychainAvailable: async () => {
      const state = await page!.evaluate(() => window.tokenVault.vault.getState());
      return state.ok && state.value.keychainAvailable;
    },
    relaunch: launch,
  };
  let violations: string[] | undefined;
  try {
    await use(app);
    violations = await cspViolations(page!);
  } finally {
    nodeVaults.get(app)?.close();
    nodeVaults.delete(app);
    await electronApp?.close();
  }
  if (violations && violations.length > 0) throw new Error(`the page broke its Content-Security-Policy: ${violations.join('; ')}`);
}

export { expect } from '@playwright/test';

/** Electron runs: this process's own handle on the app's vault file, unlocked, as the command line would open it. */
const nodeVaults = new WeakMap<AppUnderTest, Vault>();

export type Seed = (vault: Vault) => void | Promise<void>;

/**
 * Creates the vault through the real service (as the set-up screen would), lets `seed` write into it, and shows the
 * unlocked app. Bridge: the service of this process, then a reload. Electron: the service under Node writes the
 * file before the app starts, then the app is launched and unlocked through its own lock screen.
 */
export async function openUnlockedVault(app: AppUnderTest, seed?: Seed, password = TEST_PASSWORD): Promise<void> {
  if (app.service) {
    await app.service.handlers['vault:create']({ password, useKeychain: false });
    await seed?.(app.service.session.requireUnlocked());
    await app.page.reload();
  } else {
    const service = createAppService({ userDataDir: app.userDataDir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), keychain: noKeychain, kdf: CHEAP_SCRYPT, emit: () => undefined });
    try {
      await service.handlers['vault:create']({ password, useKeychain: false });
      await seed?.(service.session.requireUnlocked());
    } finally {
      service.close();
    }
    await app.relaunch?.();
    await app.page.getByLabel('Master password').fill(password);
    await app.page.getByRole('button', { name: 'Unlock' }).click();
    const vault = Vault.open(app.vaultPath, { keychain: noKeychain });
    await vault.keys.unlockWithPassword(password);
    nodeVaults.set(app, vault);
  }
  await app.page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
}

/**
 * The unlocked vault under test, to seed data the way the service itself stores it and to read back what the window
 * did. Bridge: the service's own. Electron: a second handle on the same file (the app sees its writes, as it sees the
 * command line's); a page reload shows them.
 */
export function vaultOf(app: AppUnderTest): Vault {
  if (app.service) return app.service.session.requireUnlocked();
  const vault = nodeVaults.get(app);
  if (!vault) throw new Error('open the vault with openUnlockedVault(app) first');
  return vault;
}

/** Runs axe on the page as it is and fails on serious or critical violations, listing them. */
export async function expectNoSeriousA11yViolations(page: Page, name: string): Promise<void> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  // Electron's pages have no browser to open the helper page axe uses by default: run it inside the page instead.
  const inElectron = page.context().browser() === null;
  const results = await new AxeBuilder({ page }).setLegacyMode(inElectron).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  if (bad.length > 0) throw new Error(`axe found serious/critical violations on "${name}":\n${summary.join('\n')}`);
}

/** Saves a screenshot of a screen under test-results/screens/NAME.png. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}
