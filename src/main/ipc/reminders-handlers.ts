import type { remindersChannels } from '../../shared/ipc/reminders-channels';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/**
 * reminders:* — counts, due list and card badges (locked or not), snooze and "mark rotated" (unlocked). The badge,
 * tray and notifications follow through the dispatcher's after-change path.
 */
export function createRemindersHandlers({ reminders }: Pick<HandlerContext, 'reminders'>): HandlersOf<typeof remindersChannels> {
  return {
    'reminders:get-summary': () => reminders.summary(),
    'reminders:get-tokens': ({ tokenIds }) => reminders.tokens(tokenIds),
    'reminders:snooze-token': ({ tokenId, for: spec }) => reminders.snooze(tokenId, spec),
    'reminders:unsnooze-token': ({ tokenId }) => reminders.unsnooze(tokenId),
    'reminders:mark-rotated': ({ tokenId }) => reminders.markRotated(tokenId),
  };
}
