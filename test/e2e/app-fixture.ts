import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, chromium, _electron, type Page } from '@playwright/test';
import type { EventMap, EventName } from '../../src/shared/ipc-contract';
import { createAppService, type AppService } from '../../src/main/ipc/create-app-service';
import { noKeychain, type Keychain } from '../../src/main/vault/keys/keychain';
import { CONTENT_SECURITY_POLICY } from '../../src/main/shell/window-security';
import { installPreloadBridge, type BridgeEmit } from '../support/preload-bridge';
import { serveDirectory } from '../support/static-server';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { MemoryClipboard, RecordingNotifier } from '../support/desktop-stand-ins';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];


export interface AppUnderTest {
  page: Page;
  /** The user-data folder of this run: the vault file lives here. */
  userDataDir: string;
  /** The real main-side service (bridge runs only; in Electron it lives in the app's process). */
  service?: AppService;
  clipboard?: MemoryClipboard;
  notifier?: RecordingNotifier;
  /** Sends a main -> renderer event, as the shell does with webContents.send. */
  emit?: <E extends EventName>(event: E, payload: EventMap[E]) => Promise<void>;
}

/**
 * `app`: the built renderer with the real main-side service behind it.
 * - project "chromium": Debian's Chromium loads out/renderer over http://127.0.0.1; the page gets window.tokenVault
 *   from the same buildApi() the preload uses, and every call goes through the same dispatcher (sender check, zod,
 *   Result envelope) into the real service in this process.
 * - project "electron": the real app through _electron.launch, skipped with the reason where no binary exists.
 * `keychain`: "system" is the machine's Secret Service (npm test runs Playwright inside a private gnome-keyring);
 * "none" is the app's own no-keychain path, for specs of the master-password-only flows.
 */
export const test = base.extend<{ app: AppUnderTest; keychain: 'system' | 'none' }>({
  keychain: ['system', { option: true }],
  app: async ({ keychain }, use, testInfo) => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'token-vault-e2e-'));
    try {
      if (testInfo.project.name === 'electron') {
        const binary = findElectronBinary();
        if (!binary.path) console.log(`[electron] skipped "${testInfo.title}": ${binary.reason}`);
        testInfo.skip(!binary.path, `Electron project skipped: ${binary.reason}`);
        const electronApp = await _electron.launch({
          executablePath: binary.path,
          args: [resolve('out/main/index.js')],
          env: { ...process.env, TOKEN_VAULT_USER_DATA: userDataDir },
        });
        const page = await electronApp.firstWindow();
        await use({ page, userDataDir });
        await electronApp.close();
        return;
      }
      await runInChromium(userDataDir, keychain === 'none' ? noKeychain : undefined, use);
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  },
});

async function runInChromium(userDataDir: string, keychain: Keychain | undefined, use: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const server = await serveDirectory(resolve('out/renderer'), CONTENT_SECURITY_POLICY);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const clipboard = new MemoryClipboard();
  const notifier = new RecordingNotifier();
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  // Events sent before the bridge is installed have no page to go to; the service starts with none pending.
  let emit: BridgeEmit = async () => {};
  const service = createAppService({ userDataDir, clipboard, notifier, keychain, emit: (e, p) => void emit(e, p).catch(() => {}) });
  emit = await installPreloadBridge(page, service, new URL(server.url).origin);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  try {
    await use({ page, userDataDir, service, clipboard, notifier, emit });
  } finally {
    service.close();
    await browser.close();
    await server.close();
  }
  if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
}

export { expect } from '@playwright/test';

export const TEST_PASSWORD = 'correct horse battery';

/**
 * Creates the vault through the real service (as the set-up screen would) and reloads the page, so a spec starts on
 * the unlocked app without typing through set-up each time.
 */
export async function openUnlockedVault(app: AppUnderTest, password = TEST_PASSWORD): Promise<void> {
  const handlers = app.service?.handlers;
  if (!handlers) throw new Error('openUnlockedVault needs the bridge (Chromium project)');
  await handlers['vault:create']({ password, useKeychain: false });
  await app.page.reload();
  await app.page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
}

/** The open vault of the service under test (unlocked), to seed data the way the service itself stores it. */
export function vaultOf(app: AppUnderTest) {
  if (!app.service) throw new Error('vaultOf needs the bridge (Chromium project)');
  return app.service.session.requireUnlocked();
}

/** Runs axe on the page as it is and fails on serious or critical violations, listing them. */
export async function expectNoSeriousA11yViolations(page: Page, name: string): Promise<void> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  if (bad.length > 0) throw new Error(`axe found serious/critical violations on "${name}":\n${summary.join('\n')}`);
}

/** Saves a screenshot of a screen under test-results/screens/NAME.png. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}
