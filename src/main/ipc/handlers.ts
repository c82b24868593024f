import type { InvokeChannel, OutputOf, ParsedInputOf } from '../../shared/ipc-contract';

/** The main-side implementation of every invoke channel: input already validated by the channel's zod schema. */
export type Handlers = {
  [C in InvokeChannel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;
};

/** A domain's share of the handlers; `createHandlers` checks that the shares add up to the whole contract. */
export type HandlersFor<Prefix extends string> = {
  [C in InvokeChannel as C extends `${Prefix}:${string}` ? C : never]: Handlers[C];
};
