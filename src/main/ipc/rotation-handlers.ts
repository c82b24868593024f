import { RotationService } from '../use-cases/rotation/rotation-service';
import type { HandlersFor } from './handlers';
import type { ReminderService } from '../use-cases/reminder-service';
import type { ServiceContext } from './handler-context';

/**
 * rotation:* — rotate now, paste (manual workspaces), confirm deployed, resume interrupted rotations. Each call builds
 * a RotationService over the unlocked vault; reminders are refreshed after anything that changes a token.
 */
export function createRotationHandlers(ctx: ServiceContext, reminders?: ReminderService): HandlersFor<'rotation'> {
  const service = () => new RotationService({ vault: ctx.session.requireUnlocked(), clock: ctx.clock, actor: 'app' });
  const after = <T>(value: T): T => {
    reminders?.changed();
    return value;
  };
  return {
    'rotation:rotate-token': async ({ tokenId, expiresAt }) =>
      after(await service().rotate(tokenId, expiresAt === undefined ? {} : { expiresAt })),
    'rotation:paste-secret': async ({ tokenId, secret, expiresAt }) =>
      after(await service().pasteSecret(tokenId, secret, expiresAt === undefined ? {} : { expiresAt })),
    'rotation:confirm-deployed': async ({ tokenId, graceDays }) =>
      after(await service().confirm(tokenId, graceDays === undefined ? {} : { graceDays })),
    'rotation:resume-all': async () => after(await service().resumeAll()),
    'rotation:list-pending': () => service().listPending(),
  };
}
