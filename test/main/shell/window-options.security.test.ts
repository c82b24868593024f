import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, cspHeader } from '../../../src/main/shell/window-security';

// Electron cannot run here; a recording stand-in for its API shows what our window factory asks of it.
const recorded = vi.hoisted(() => ({
  options: undefined as Record<string, unknown> | undefined,
  listeners: new Map<string, (event: { preventDefault(): void }, ...args: unknown[]) => void>(),
  openHandler: undefined as ((details: { url: string }) => { action: string }) | undefined,
  opened: [] as string[],
  permission: undefined as ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined,
  permissionCheck: undefined as ((c: unknown, p: string) => boolean) | undefined,
  headers: undefined as ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void) | undefined,
  icon: undefined as unknown,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: (event: string, listener: (event: { preventDefault(): void }) => void) => recorded.listeners.set(event, listener),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (recorded.openHandler = handler),
    };
    constructor(options: Record<string, unknown>) {
      recorded.options = options;
    }
    on(event: string, listener: (event: { preventDefault(): void }) => void) {
      recorded.listeners.set(`win:${event}`, listener);
    }
    once() {}
    loadFile() {
      return Promise.resolve();
    }
    loadURL() {
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: (url: string) => (recorded.opened.push(url), Promise.resolve()) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof recorded.permission) => (recorded.permission = h),
        setPermissionCheckHandler: (h: typeof recorded.permissionCheck) => (recorded.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: typeof recorded.headers) => (recorded.headers = h) },
      },
    },
  };
});

const { createMainWindow, hardenSession } = await import('../../../src/main/shell/create-window');

describe('the window factory', () => {
  beforeEach(() => {
    recorded.listeners.clear();
    recorded.opened.length = 0;
    createMainWindow({ preloadPath: '/app/preload/index.cjs', rendererFile: '/app/renderer/index.html' });
  });

  it('isolates and sandboxes the page, with no Node in it', () => {
    const prefs = recorded.options?.['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload/index.cjs',
    });
  });

  it('keeps its own title (it carries the attention count) when the page sets <title>', () => {
    const preventDefault = vi.fn();
    recorded.listeners.get('win:page-title-updated')?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });

  it('blocks every navigation and every new window', () => {
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      recorded.listeners.get(event)?.({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(recorded.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('hands only allow-listed https links to the OS, and still opens no window for them', async () => {
    expect(recorded.openHandler?.({ url: 'https://gitlab.com/-/user_settings/personal_access_tokens' })).toEqual({ action: 'deny' });
    recorded.openHandler?.({ url: 'http://gitlab.com/' });
    recorded.openHandler?.({ url: 'file:///etc/passwd' });
    await new Promise((r) => setTimeout(r, 0));
    expect(recorded.opened).toEqual(['https://gitlab.com/-/user_settings/personal_access_tokens']);
  });

  it('denies every permission request and check, the clipboard included', () => {
    hardenSession();
    const permissions = ['media', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'geolocation', 'openExternal'];
    const answers: boolean[] = [];
    for (const permission of permissions) recorded.permission?.({}, permission, (ok) => answers.push(ok));
    expect(answers).toEqual(permissions.map(() => false));
    for (const permission of permissions) expect(recorded.permissionCheck?.({}, permission), permission).toBe(false);
  });

  it('adds frame-ancestors, which a meta tag cannot carry, as a header policy of its own beside any other', () => {
    hardenSession();
    let out: Record<string, string[]> | undefined;
    recorded.headers?.({ url: 'http://localhost:5173/', responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["frame-ancestors 'none'"] });
    recorded.headers?.({ url: 'http://localhost:5173/', responseHeaders: { 'content-security-policy': ["default-src 'self'"] } }, (r) => (out = r.responseHeaders));
    expect(out?.['Content-Security-Policy']).toEqual(["default-src 'self'", "frame-ancestors 'none'"]);
    expect(cspHeader(CONTENT_SECURITY_POLICY)).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('ships the strict CSP in the page itself, without the header-only frame-ancestors', () => {
    const html = readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|frame-ancestors|\*/);
  });
});
