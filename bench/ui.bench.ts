/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { test } from 'vitest';
import { createAppService } from '../src/main/ipc/create-app-service';
import { CONTENT_SECURITY_POLICY } from '../src/main/shell/window-security';
import { MemoryClipboard, RecordingNotifier } from '../test/support/desktop-stand-ins';
import { installPreloadBridge } from '../test/support/preload-bridge';
import { serveDirectory } from '../test/support/static-server';
import { median, recordBench } from './record';
import { syntheticTokens } from './synthetic-tokens';

/**
 * The window with 10k and 50k tokens, in Debian's Chromium, against the real service (vault filled through its bulk
 * import, list through the same dispatcher as the app): first list render, filter keystroke -> painted frame, scroll
 * frame time, JS heap. Keystroke `work` = input event to committed DOM (what must fit in a frame); `toPaint` adds
 * the wait for the next frame to be painted (vsync-bound, ~16.7 ms in headless Chromium). Targets (issue 5): < 16 ms per keystroke and < 100 MB heap at 10k. Measures, asserts nothing.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// UI_BENCH_SIZES=10000 measures one size (a loaded machine, a quick look); both by default.
const SIZES = (process.env['UI_BENCH_SIZES'] ?? '10000,50000').split(',').map(Number);


async function measure(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'token-vault-ui-bench-'));
  const server = await serveDirectory(resolve('out/renderer'), CONTENT_SECURITY_POLICY);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const service = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => undefined });
  try {
    await service.handlers['vault:create']({ password: 'bench password', useKeychain: false });
    service.session.requireUnlocked().tokens.import(syntheticTokens(n), 'bench');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await installPreloadBridge(page, service, new URL(server.url).origin);
    // When the list reaches the page: what follows is the renderer's own work (sort, filter, first rows).
    await page.addInitScript(`(() => {
      const invoke = window.__bridgeInvoke;
      window.__bridgeInvoke = async (channel, input) => {
        const result = await invoke(channel, input);
        if (channel === 'tokens:list' && window.__listArrivedAt === undefined) {
          window.__listArrivedAt = performance.now();
          // Timed inside the page: CDP traffic of other calls cannot delay the reading.
          const rows = () => document.querySelector('[role=option]') ? (window.__firstRowsAt = performance.now()) : requestAnimationFrame(rows);
          requestAnimationFrame(rows);
        }
        return result;
      };
    })();`);

    // First list render: navigation start -> the first card on screen with the full count.
    await page.goto(server.url);
    const total = n.toLocaleString('en-US');
    await page.waitForFunction((t) => document.querySelector('.result-count')?.textContent?.startsWith(`${t} of ${t}`) && document.querySelector('[role=option]'), total, { timeout: 400_000 });
    const firstRenderMs = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
    const renderAfterListMs = await page.evaluate(() => {
      const w = window as unknown as { __listArrivedAt: number; __firstRowsAt: number };
      return w.__firstRowsAt - w.__listArrivedAt;
    });

    // What Electron's IPC would cost instead of the test bridge: the handler, then V8's structured clone of its
    // answer (ipcRenderer.invoke serializes with the same V8 serializer).
    const handlerStart = performance.now();
    const list = await service.handlers['tokens:list'](undefined);
    const listHandlerMs = performance.now() - handlerStart;
    const cloneStart = performance.now();
    deserialize(serialize(list));
    const listCloneMs = performance.now() - cloneStart;

    // Keystroke -> painted frame: the input event (React's path), then the frame after the commit has been painted.
    const keystrokes = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const afterPaint = () => new Promise<void>((r) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); }));
      const out: { work: number; paint: number }[] = [];
      for (const text of ['s', 'se', 'ser', 'serv', 'servi', 'servic', 'service', 'service-', 'service-4', 'service-42', 'service-4', 'service-', 'service', '']) {
        await afterPaint();
        const t0 = performance.now();
        setValue.call(input, text);
        // React handles `input` as a discrete event: filter, render and commit happen inside dispatchEvent.
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const work = performance.now() - t0;
        await afterPaint();
        out.push({ work, paint: performance.now() - t0 });
      }
      return out;
    });

    // The IPC part of the first render alone (bridge + tokens:list handler), to tell it apart from rendering.
    const listRoundTripMs = await page.evaluate(async () => {
      const t0 = performance.now();
      await (window as unknown as { tokenVault: { tokens: { list(): Promise<unknown> } } }).tokenVault.tokens.list();
      return performance.now() - t0;
    });

    // Scroll: 120 frames of 240 px each through the list; frame time = gap between animation frames.
    const frames = await page.evaluate(async () => {
      const list = document.querySelector<HTMLElement>('[role=listbox]')!;
      const gaps: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        await new Promise<void>((r) => requestAnimationFrame(() => r()));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
        list.scrollTop += 240;
      }
      return gaps.slice(1);
    });

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const sorted = [...frames].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    return {
      tokens: n,
      firstRenderMs: Math.round(firstRenderMs),
      renderAfterListMs: Math.round(renderAfterListMs),
      listHandlerMs: Math.round(listHandlerMs),
      listCloneMs: Math.round(listCloneMs),
      listRoundTripMs: Math.round(listRoundTripMs),
      keystrokeWorkMedianMs: +median(keystrokes.map((k) => k.work)).toFixed(1),
      keystrokeWorkMaxMs: +Math.max(...keystrokes.map((k) => k.work)).toFixed(1),
      keystrokeToPaintMedianMs: +median(keystrokes.map((k) => k.paint)).toFixed(1),
      scrollFrameMedianMs: +median(frames).toFixed(1),
      scrollFrameP95Ms: +p95.toFixed(1),
      jsHeapMB: +(heap.usedSize / 1024 / 1024).toFixed(1),
    };
  } finally {
    service.close();
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ui: list render, keystroke, scroll and heap at 10k and 50k tokens', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`ui bench skipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  if (!existsSync('out/renderer/index.html')) execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  const rows = [];
  for (const n of SIZES) rows.push(await measure(n));
  const at10k = rows.find((r) => r.tokens === 10_000);
  recordBench('ui', { rows, targets: { keystrokeMsAt10k: 16, heapMBAt10k: 100 }, metTargets: at10k ? at10k.keystrokeWorkMaxMs < 16 && at10k.jsHeapMB < 100 : null }, rows);
});
