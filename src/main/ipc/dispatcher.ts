import { invokeChannels, type InvokeChannel } from '../../shared/ipc-contract';
import type { AppError, Result } from '../../shared/result';
import { isAppFailure } from '../errors';
import { createLogger, redactText } from '../log/redacting-logger';
import type { Handlers } from './handlers';

const log = createLogger('ipc');

/** What the shell knows about who sent a message; the bridge used by end-to-end tests fills in the same. */
export interface SenderInfo {
  /** The message came from the top frame of the app's own window, not from an iframe or another window. */
  isMainFrame: boolean;
  /** The URL of the sending frame. */
  url: string;
}

export type Dispatch = (channel: string, sender: SenderInfo, rawInput: unknown) => Promise<Result<unknown>>;

const isKnownChannel = (channel: string): channel is InvokeChannel => Object.hasOwn(invokeChannels, channel);

/**
 * The single path from an IPC message to a handler. It refuses any sender that is not the app's own main frame,
 * validates the argument with the channel's zod schema, and turns every outcome into a Result envelope: an exception
 * never crosses to the renderer raw, and an unexpected one is reported as `internal` without its message (which
 * could hold anything).
 *
 * After every call of a mutating channel (marked in the contract) that reached its handler, `afterChange` runs once:
 * the one "after a change" path (reminders refreshed, one `tokens:changed` event). It runs after a failure too,
 * because a failed operation may still have changed something (a lost create recorded, a rotation journaled).
 */
export function createDispatcher(handlers: Handlers, isTrustedSender: (sender: SenderInfo) => boolean, afterChange: () => void = () => {}): Dispatch {
  return async (channel, sender, rawInput) => {
    if (!isKnownChannel(channel)) return failure({ code: 'unknown-channel', message: 'Unknown request.' });
    if (!sender.isMainFrame || !isTrustedSender(sender)) {
      log.warn('refused a message from a foreign sender', { channel, url: sender.url });
      return failure({ code: 'forbidden-sender', message: 'This request did not come from the Token Vault window.' });
    }
    const { input, mutates } = invokeChannels[channel];
    const parsed = input.safeParse(rawInput);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
      return failure({ code: 'invalid-argument', message: redactText(`${where}${first?.message ?? 'invalid input'}`) });
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (isAppFailure(error)) return failure(toAppError(error));
      log.error('handler failed', { channel, error });
      return failure({ code: 'internal', message: 'Something went wrong inside Token Vault. Try again; if it keeps failing, restart the app.' });
    } finally {
      if (mutates) afterChange();
    }
  };
}

/** An AppFailure as the window receives it: only the fields meant for it. */
function toAppError(error: { code: AppError['code']; message: string; unsavedSecret?: string; next?: AppError['next']; field?: AppError['field'] }): AppError {
  const out: AppError = { code: error.code, message: error.message };
  if (error.unsavedSecret !== undefined) out.unsavedSecret = error.unsavedSecret;
  if (error.next !== undefined) out.next = error.next;
  if (error.field !== undefined) out.field = error.field;
  return out;
}

const failure = (error: AppError): Result<never> => ({ ok: false, error });
