import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, PAGE_CHANNELS, PRELOAD_ONLY_CHANNELS } from '../../../src/shared/ipc-contract';

// A recording stand-in for Electron's contextBridge and ipcRenderer: what does our preload hand the page?
const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  subscribed: new Map<string, unknown>(),
  paths: new Map<unknown, string>(),
}));
vi.mock('electron', () => ({
  // Electron's webUtils.getPathForFile: '' for a File with nothing on disk behind it.
  webUtils: { getPathForFile: (file: unknown) => bridge.paths.get(file) ?? '' },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => (bridge.invoked.push([channel, input]), Promise.resolve({ ok: true, value: null })),
    on: (event: string, listener: unknown) => bridge.subscribed.set(event, listener),
    removeListener: (event: string) => bridge.subscribed.delete(event),
  },
}));

await import('../../../src/preload/index');
const api = bridge.exposed.get('tokenVault') as Record<string, Record<string, unknown>>;

describe('the preload exposes named functions only', () => {
  it('exposes one object, frozen, whose leaves are all functions', () => {
    expect([...bridge.exposed.keys()]).toEqual(['tokenVault']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const [domain, functions] of Object.entries(api)) {
      expect(Object.isFrozen(functions), domain).toBe(true);
      for (const [name, fn] of Object.entries(functions)) expect(typeof fn, `${domain}.${name}`).toBe('function');
    }
  });

  it('has exactly one function per page channel, one subscriber per event, importDroppedFile, and no generic door', () => {
    const names = Object.entries(api).flatMap(([domain, fns]) => Object.keys(fns).map((n) => `${domain}.${n}`));
    expect(names).toHaveLength(PAGE_CHANNELS.length + EVENT_NAMES.length + 1);
    expect(names).toContain('transfer.importDroppedFile');
    // The preload-only channel takes a path: the page has no function that sends one.
    expect(names).not.toContain('transfer.acceptDroppedFile');
    expect(PRELOAD_ONLY_CHANNELS).toEqual(['transfer:accept-dropped-file']);
    expect(names.join(' ')).not.toMatch(/\b(invoke|send|on|ipcRenderer|process|env)\b/);
  });

  it('maps every function to its own channel, passing the one argument through', async () => {
    for (const channel of PAGE_CHANNELS) {
      const [domain = '', verb = ''] = channel.split(':');
      const name = verb.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      await (api[domain]?.[name] as (input: unknown) => Promise<unknown>)({ probe: channel });
      expect(bridge.invoked.at(-1)).toEqual([channel, { probe: channel }]);
    }
  });

  it('importDroppedFile sends main the path Electron gives for the File, never one from the page', async () => {
    const importDroppedFile = api['transfer']?.['importDroppedFile'] as (file: unknown) => Promise<unknown>;
    const dropped = { name: 'app.env' };
    bridge.paths.set(dropped, '/home/someone/app.env');
    await importDroppedFile(dropped);
    expect(bridge.invoked.at(-1)).toEqual(['transfer:accept-dropped-file', { path: '/home/someone/app.env' }]);
    // A File made in script (no path), or a path-like string the page passes: main gets '' and refuses it.
    await importDroppedFile({ name: 'made-in-script.env' });
    expect(bridge.invoked.at(-1)).toEqual(['transfer:accept-dropped-file', { path: '' }]);
    await importDroppedFile('/etc/passwd');
    expect(bridge.invoked.at(-1)).toEqual(['transfer:accept-dropped-file', { path: '' }]);
  });

  it('subscribes to events and unsubscribes', () => {
    const unsubscribe = (api['vault']?.['onLocked'] as (l: () => void) => () => void)(() => {});
    expect(bridge.subscribed.has('vault:locked')).toBe(true);
    unsubscribe();
    expect(bridge.subscribed.has('vault:locked')).toBe(false);
  });
});
