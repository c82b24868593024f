/**
 * Builds the object the renderer sees as `window.tokenVault` from the channel and event names: one named function per
 * channel (`tokens:copy-secret` -> `tokenVault.tokens.copySecret(input)`) and one subscriber per event
 * (`vault:locked` -> `tokenVault.vault.onLocked(listener)`, which returns an unsubscribe function).
 *
 * `channels` are the page's channels (PAGE_CHANNELS); the one preload-only channel is sent by importDroppedFile here.
 * It must stay self-contained (no imports, no outer variables): the preload calls it, and the end-to-end bridge
 * injects its source text into a plain browser page, so both give the page exactly the same API.
 */
export function buildApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: (channel: string, input: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
  pathForFile: (file: unknown) => string,
): Record<string, Record<string, unknown>> {
  const camel = (s: string): string => s.replace(/-([a-z])/g, (_m: string, c: string) => c.toUpperCase());
  const api: Record<string, Record<string, unknown>> = {};
  const domain = (name: string): [Record<string, unknown>, string] => {
    const [d = '', verb = ''] = name.split(':');
    api[d] ??= {};
    return [api[d], camel(verb)];
  };
  for (const channel of channels) {
    const [target, verb] = domain(channel);
    target[verb] = (input?: unknown) => invoke(channel, input);
  }
  for (const event of events) {
    const [target, verb] = domain(event);
    target['on' + verb.charAt(0).toUpperCase() + verb.slice(1)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return subscribe(event, listener);
    };
  }
  // A dropped file: the path comes from pathForFile (Electron's webUtils.getPathForFile in the preload), never from
  // the page. A File that is not on disk (made in script) has no path: main refuses the empty one with its own words.
  const [transfer] = domain('transfer:import-dropped-file');
  transfer['importDroppedFile'] = (file: unknown) => {
    let path = '';
    try {
      path = pathForFile(file);
    } catch {
      // Not a File at all: no path.
    }
    return invoke('transfer:accept-dropped-file', { path: typeof path === 'string' ? path : '' });
  };
  for (const d of Object.keys(api)) Object.freeze(api[d]);
  return Object.freeze(api);
}
