import type { z } from 'zod';

/**
 * One invoke channel: the zod schema its single argument must pass in main, and (as a type only) what it returns.
 * Every channel takes exactly one argument (an object, or nothing), so the API stays uniform across the bridge.
 */
export interface Channel<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: carries the result type; never read at run time. */
  readonly output?: O;
}

/** `returns<VaultState>().takes(UnlockInput)`: the result type is written once, the argument type comes from zod. */
export const returns = <O>() => ({
  takes: <I extends z.ZodType>(input: I): Channel<I, O> => ({ input }),
});

/** Turns `copy-secret` into `copySecret` at the type level, as `camel` does at run time. */
export type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
