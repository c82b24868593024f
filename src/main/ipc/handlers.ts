import type { InvokeChannel, OutputOf, ParsedInputOf } from '../../shared/ipc-contract';

/** The main-side implementation of every invoke channel: input already validated by the channel's zod schema. */
export type Handlers = {
  [C in InvokeChannel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;
};

/**
 * The handlers of one channel file (`HandlersOf<typeof vaultChannels>`): each handler file implements exactly the
 * channels of its channel file, and the composition root checks that the files add up to the whole contract.
 */
export type HandlersOf<Channels> = Pick<Handlers, keyof Channels & InvokeChannel>;
