import type { HandlersFor } from './handlers';
import { ReminderService } from '../use-cases/reminder-service';
import type { ServiceContext } from './handler-context';

/**
 * reminders:* — counts, due list and card badges (locked or not), snooze and "mark rotated" (unlocked).
 * The same ReminderService drives the badge, tray and notifications; `createRemindersHandlers` returns it so the
 * composition root can `start()` its timer and call `refresh()` after unlock.
 */
export function createReminderService(ctx: ServiceContext): ReminderService {
  return new ReminderService({ vault: () => ctx.session.current(), notifier: ctx.notifier, emit: ctx.emit, clock: ctx.clock });
}

export function createRemindersHandlers(reminders: ReminderService): HandlersFor<'reminders'> {
  return {
    'reminders:get-summary': () => reminders.summary(),
    'reminders:get-tokens': ({ tokenIds }) => reminders.tokens(tokenIds),
    'reminders:snooze-token': ({ tokenId, for: spec }) => reminders.snooze(tokenId, spec),
    'reminders:unsnooze-token': ({ tokenId }) => reminders.unsnooze(tokenId),
    'reminders:mark-rotated': ({ tokenId }) => reminders.markRotated(tokenId),
  };
}
