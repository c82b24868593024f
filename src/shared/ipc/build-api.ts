/**
 * Builds the object the renderer sees as `window.tokenVault` from the channel and event names: one named function per
 * channel (`tokens:copy-secret` -> `tokenVault.tokens.copySecret(input)`) and one subscriber per event
 * (`vault:locked` -> `tokenVault.vault.onLocked(listener)`, which returns an unsubscribe function).
 *
 * It must stay self-contained (no imports, no outer variables): the preload calls it, and the end-to-end bridge
 * injects its source text into a plain browser page, so both give the page exactly the same API.
 */
export function buildApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: (channel: string, input: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
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
  for (const d of Object.keys(api)) Object.freeze(api[d]);
  return Object.freeze(api);
}
