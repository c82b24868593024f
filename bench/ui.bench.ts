/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
/**
 * UI_BENCH_BUILDS=before=tmp/renderer-before,after=out/renderer compares renderer builds in the same run, interleaved
 * UI_BENCH_ROUNDS times (a loaded machine: medians of the rounds, with the load average beside them).
 */
const BUILDS = (process.env['UI_BENCH_BUILDS'] ?? 'current=out/renderer').split(',').map((b) => {
  const [label = 'current', dir = 'out/renderer'] = b.split('=');
  return { label, dir };
});
const ROUNDS = Number(process.env['UI_BENCH_ROUNDS'] ?? '1');


const PROFILE = process.env['UI_BENCH_PROFILE'] === '1';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions whose calls (with everything below them) took longest: inclusive time, each function counted once per sample. */
function topTotalTime(profile: CpuProfile, top = 25): string {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byNode.get(at);
      if (!frame || !frame.url) continue;
      const name = `${frame.functionName || '(anonymous)'} (${frame.url.split('/').pop() ?? ''}:${frame.lineNumber})`;
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  });
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');
}

/** The functions the samples landed in most (self time), as "12.3 ms  getMeasurements (index-abc.js:1)". */
function topSelfTime(profile: CpuProfile, top = 10): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id);
    const name = frame ? `${frame.functionName || '(anonymous)'} (${frame.url.split('/').pop() ?? ''}:${frame.lineNumber})` : '?';
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');
}

async function measure(n: number, renderer = 'out/renderer') {
  const dir = mkdtempSync(join(tmpdir(), 'token-vault-ui-bench-'));
  const server = await serveDirectory(resolve(renderer), CONTENT_SECURITY_POLICY);
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
          // Playwright's binding goes on working for a while in the task that resolved this (hundreds of ms at 10k
          // rows, none of it the app's; a trace shows it). Electron's reply is a task of its own: hand the list to the
          // app in a fresh task, as Electron would, so what follows is the renderer's own work only.
          await new Promise((r) => setTimeout(r, 0));
          window.__listArrivedAt = performance.now();
          performance.mark('list-arrived');
          // Timed inside the page: CDP traffic of other calls cannot delay the reading.
          const rows = () => document.querySelector('[role=option]') ? (window.__firstRowsAt = performance.now(), performance.mark('first-rows')) : requestAnimationFrame(rows);
          requestAnimationFrame(rows);
        }
        return result;
      };
    })();`);

    // UI_BENCH_PROFILE=1: the profiler also runs from navigation to the first rows (where the render after the list goes).
    const loadProfiler = PROFILE ? await context.newCDPSession(page) : undefined;
    if (loadProfiler) {
      await loadProfiler.send('Profiler.enable');
      await loadProfiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await loadProfiler.send('Profiler.start');
    }
    // UI_BENCH_TRACE=dir: a Chromium trace from navigation to the first rows, for DevTools' Performance panel.
    const trace = process.env['UI_BENCH_TRACE'];
    if (trace) await browser.startTracing(page, { path: join(trace, `ui-${n}-${renderer.replaceAll('/', '_')}.json`), categories: ['devtools.timeline', 'blink.user_timing', 'v8.execute', 'disabled-by-default-devtools.timeline'] });
    // First list render: navigation start -> the first card on screen with the full count.
    await page.goto(server.url);
    const total = n.toLocaleString('en-US');
    await page.waitForFunction((t) => document.querySelector('.result-count')?.textContent?.startsWith(`${t} of ${t}`) && document.querySelector('[role=option]'), total, { timeout: 400_000 });
    const firstRenderMs = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
    const renderAfterListMs = await page.evaluate(() => {
      const w = window as unknown as { __listArrivedAt: number; __firstRowsAt: number };
      return w.__firstRowsAt - w.__listArrivedAt;
    });
    if (trace) await browser.stopTracing();
    if (PROFILE) {
      const marks = await page.evaluate(() => {
        const w = window as unknown as { __listArrivedAt: number; __firstRowsAt: number; __m?: [string, number][] };
        return [...(w.__m ?? []), ['first rows (rAF)', w.__firstRowsAt] as [string, number]].filter(([, t]) => t >= w.__listArrivedAt - 1 && t <= w.__firstRowsAt + 1).sort((a, b) => a[1] - b[1]).map(([m, t]) => `  +${(t - w.__listArrivedAt).toFixed(1).padStart(7)} ms  ${m}`);
      });
      console.log(`[marks] ${renderer} at ${n} tokens, after the list arrived:\n${marks.join('\n')}`);
    }
    if (loadProfiler) {
      const { profile } = (await loadProfiler.send('Profiler.stop')) as { profile: CpuProfile };
      console.log(`[profile] ${renderer} at ${n} tokens, load, self time:\n${topSelfTime(profile)}\ntotal time:\n${topTotalTime(profile)}`);
    }

    // What Electron's IPC would cost instead of the test bridge: the handler, then V8's structured clone of its
    // answer (ipcRenderer.invoke serializes with the same V8 serializer).
    const handlerStart = performance.now();
    const list = await service.handlers['tokens:list'](undefined);
    const listHandlerMs = performance.now() - handlerStart;
    const cloneStart = performance.now();
    deserialize(serialize(list));
    const listCloneMs = performance.now() - cloneStart;

    // UI_BENCH_PROFILE=1: Chromium's sampling profiler over the keystrokes, top functions by self time (where it goes).
    const profiler = PROFILE ? await context.newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
    }
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

    if (PROFILE) console.log(`[keystrokes] ${renderer} at ${n} tokens, work ms: ${keystrokes.map((k) => k.work.toFixed(1)).join(' ')}`);
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: CpuProfile };
      console.log(`[profile] ${renderer} at ${n} tokens, keystrokes, self time:\n${topSelfTime(profile)}\ntotal time:\n${topTotalTime(profile)}`);
    }

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
  if (BUILDS.length === 1) {
    const rows = [];
    for (const n of SIZES) rows.push(await measure(n, BUILDS[0]!.dir));
    const at10k = rows.find((r) => r.tokens === 10_000);
    const at50k = rows.find((r) => r.tokens === 50_000);
    recordBench(
      'ui',
      {
        rows,
        // Issue 5 (10k: every keystroke, heap) and issue 12 (50k: every keystroke; 10k: the render after the list arrives).
        targets: { keystrokeMsAt10k: 16, heapMBAt10k: 100, keystrokeWorkMsAt50k: 16, renderAfterListMsAt10k: 100 },
        metTargets: {
          issue5: at10k ? at10k.keystrokeWorkMaxMs < 16 && at10k.jsHeapMB < 100 : null,
          keystrokeAt50k: at50k ? at50k.keystrokeWorkMaxMs < 16 : null,
          renderAt10k: at10k ? at10k.renderAfterListMs < 100 : null,
        },
      },
      rows,
    );
    return;
  }
  // Interleaved: before, after, before, after... so a change in the machine's load hits both builds alike.
  const runs: Parameters<typeof record>[0] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const n of SIZES) {
      for (const b of BUILDS) runs.push({ build: b.label, round, load1: +loadavg()[0]!.toFixed(1), ...(await measure(n, b.dir)) });
    }
    // Recorded after every round: a long run cut short still leaves its figures.
    record(runs);
  }
}, 3_600_000);

function record(runs: (Awaited<ReturnType<typeof measure>> & { build: string; round: number; load1: number })[]): void {
  const keys = ['renderAfterListMs', 'keystrokeWorkMedianMs', 'keystrokeWorkMaxMs', 'keystrokeToPaintMedianMs', 'scrollFrameMedianMs', 'scrollFrameP95Ms', 'jsHeapMB', 'load1'] as const;
  const rows = BUILDS.flatMap((b) =>
    SIZES.map((n) => {
      const mine = runs.filter((r) => r.build === b.label && r.tokens === n);
      return { build: b.label, tokens: n, rounds: mine.length, ...Object.fromEntries(keys.map((k) => [k, +median(mine.map((r) => r[k])).toFixed(1)])) };
    }),
  );
  const after = (n: number) => rows.find((r) => r.build === BUILDS.at(-1)!.label && r.tokens === n) as Record<string, number> | undefined;
  recordBench(
    'ui',
    {
      // UI_BENCH_COMPARISON says what the builds are (the last one is "after").
      comparison: `medians of interleaved rounds; ${process.env['UI_BENCH_COMPARISON'] ?? BUILDS.map((b) => b.label).join(' vs ')}`,
      rows,
      runs,
      targets: { keystrokeWorkMsAt50k: 16, renderAfterListMsAt10k: 100 },
      metTargets: { keystrokeAt50k: (after(50_000)?.['keystrokeWorkMaxMs'] ?? Infinity) < 16, renderAt10k: (after(10_000)?.['renderAfterListMs'] ?? Infinity) < 100 },
    },
    rows,
  );
}
