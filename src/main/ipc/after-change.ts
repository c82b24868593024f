import type { TokenSummary } from '../vault';
import { createLogger } from '../log/redacting-logger';
import type { HandlerContext } from './handler-context';
import { tokenDtos } from './token-dto';

const log = createLogger('after-change');

/**
 * The one "after a change" path, run by the dispatcher once after every call of a mutating channel: the reminders
 * are refreshed (badge, tray, notifications: the desktop is right at once, not at the next 15-minute tick), then ONE
 * `tokens:changed` event carries the DTOs of the tokens the call wrote (the vault keeps track), or null when so many
 * changed that the window should reload. Never throws: the change itself is done.
 */
export function createAfterChange({ session, reminders, emit, clock }: Pick<HandlerContext, 'session' | 'reminders' | 'emit' | 'clock'>): () => void {
  return () => {
    reminders.refreshSafely({ announce: false });
    const vault = session.current();
    if (!vault?.isUnlocked) return;
    try {
      const touched = vault.takeChanges();
      if (touched === 'all') return emit('tokens:changed', { tokens: null, removedIds: [] });
      const present: TokenSummary[] = [];
      const removedIds: string[] = [];
      for (const id of touched) {
        const token = vault.tokens.find(id);
        if (token) present.push(token);
        else removedIds.push(id);
      }
      emit('tokens:changed', { tokens: tokenDtos(vault, present, reminders.policies(vault), clock.now()), removedIds });
    } catch (error) {
      log.warn('could not describe the change; the window reloads', { error: String(error) });
      emit('tokens:changed', { tokens: null, removedIds: [] });
    }
  };
}
