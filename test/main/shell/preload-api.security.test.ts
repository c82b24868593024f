import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, INVOKE_CHANNELS } from '../../../src/shared/ipc-contract';

// A recording stand-in for Electron's contextBridge and ipcRenderer: what does our preload hand the page?
const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  subscribed: new Map<string, unknown>(),
}));
vi.mock('electron', () => ({
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

  it('has exactly one function per channel and one subscriber per event, and no generic door', () => {
    const names = Object.entries(api).flatMap(([domain, fns]) => Object.keys(fns).map((n) => `${domain}.${n}`));
    expect(names).toHaveLength(INVOKE_CHANNELS.length + EVENT_NAMES.length);
    expect(names.join(' ')).not.toMatch(/\b(invoke|send|on|ipcRenderer|process|env)\b/);
  });

  it('maps every function to its own channel, passing the one argument through', async () => {
    for (const channel of INVOKE_CHANNELS) {
      const [domain = '', verb = ''] = channel.split(':');
      const name = verb.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      await (api[domain]?.[name] as (input: unknown) => Promise<unknown>)({ probe: channel });
      expect(bridge.invoked.at(-1)).toEqual([channel, { probe: channel }]);
    }
  });

  it('subscribes to events and unsubscribes', () => {
    const unsubscribe = (api['vault']?.['onLocked'] as (l: () => void) => () => void)(() => {});
    expect(bridge.subscribed.has('vault:locked')).toBe(true);
    unsubscribe();
    expect(bridge.subscribed.has('vault:locked')).toBe(false);
  });
});
