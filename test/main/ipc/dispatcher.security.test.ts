import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../src/main/errors';
import type { Handlers } from '../../../src/main/ipc/handlers';
import { createDispatcher, type SenderInfo } from '../../../src/main/ipc/dispatcher';
import { INVOKE_CHANNELS } from '../../../src/shared/ipc-contract';

const APP = 'file:///opt/token-vault/out/renderer/index.html';
const trusted: SenderInfo = { isMainFrame: true, url: APP };

/** A handler table that records which channels were reached; the dispatcher under test must decide before it. */
function recordingHandlers(behaviour: (channel: string, input: unknown) => unknown = () => 'reached') {
  const reached: string[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_t, channel: string) => (input: unknown) => {
      reached.push(channel);
      return behaviour(channel, input);
    },
  });
  return { handlers, reached };
}

describe('every IPC channel goes through one guarded door', () => {
  it.each(INVOKE_CHANNELS)('%s refuses a subframe, another page and another window', async (channel) => {
    const { handlers, reached } = recordingHandlers();
    const dispatch = createDispatcher(handlers, (s) => s.url === APP);
    for (const sender of [
      { isMainFrame: false, url: APP },
      { isMainFrame: true, url: 'https://evil.example/' },
      { isMainFrame: true, url: 'file:///tmp/evil.html' },
    ]) {
      const result = await dispatch(channel, sender, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(reached).toEqual([]);
  });

  it.each(INVOKE_CHANNELS)('%s refuses arguments outside its schema', async (channel) => {
    const { handlers, reached } = recordingHandlers();
    const dispatch = createDispatcher(handlers, () => true);
    for (const bad of [42, 'text', [1, 2], { unexpectedField: 'x', __proto__: { polluted: true } }]) {
      const result = await dispatch(channel, trusted, bad);
      expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(reached).toEqual([]);
  });

  it('refuses a channel that is not in the contract, including prototype names', async () => {
    const { handlers, reached } = recordingHandlers();
    const dispatch = createDispatcher(handlers, () => true);
    for (const channel of ['vault:drop-everything', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(channel, trusted, undefined)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
    expect(reached).toEqual([]);
  });

  it('never lets an exception cross raw: expected failures keep their code, others become "internal"', async () => {
    const secret = 'glpat-THIS_IS_A_SECRET_VALUE_1234567890';
    const { handlers } = recordingHandlers((channel) => {
      if (channel === 'vault:lock') throw new AppFailure('vault-locked', 'The vault is locked.');
      throw new Error(`boom with ${secret}`);
    });
    const dispatch = createDispatcher(handlers, () => true);
    expect(await dispatch('vault:lock', trusted, undefined)).toEqual({
      ok: false,
      error: { code: 'vault-locked', message: 'The vault is locked.' },
    });
    const internal = await dispatch('vault:get-state', trusted, undefined);
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain(secret);
  });

  it('wraps a handler value in an ok envelope', async () => {
    const { handlers } = recordingHandlers(() => ({ exists: false }));
    const dispatch = createDispatcher(handlers, () => true);
    expect(await dispatch('vault:get-state', trusted, undefined)).toEqual({ ok: true, value: { exists: false } });
  });
});
