import type { z } from 'zod';

/**
 * One invoke channel: the zod schema its single argument must pass in main, whether it changes tokens or what the
 * reminders count, and (as a type only) what it returns. Every channel takes exactly one argument (an object, or
 * nothing), so the API stays uniform across the bridge.
 */
export interface Channel<I extends z.ZodType, O> {
  readonly input: I;
  /**
   * A mutating channel changes tokens, workspaces or settings: after every call the dispatcher refreshes the reminders
   * (badge, tray, notifications) and emits one `tokens:changed` event. Declared here, so no handler can forget it.
   */
  readonly mutates: boolean;
  /** Phantom: carries the result type; never read at run time. */
  readonly output?: O;
}

/** Passed to `takes` for a channel that changes tokens, workspaces or settings. */
export const MUTATES = { mutates: true } as const;

/**
 * `returns<VaultState>().takes(UnlockInput)`: the result type is written once, the argument type comes from zod.
 * `returns<TokenDto>().takes(RevokeInput, MUTATES)` marks a mutating channel.
 */
export const returns = <O>() => ({
  takes: <I extends z.ZodType>(input: I, options: { mutates?: boolean } = {}): Channel<I, O> => ({ input, mutates: options.mutates ?? false }),
});

/** Turns `copy-secret` into `copySecret` at the type level, as `camel` does at run time. */
export type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
