import type { SyncResultDto } from '../../../shared/ipc/workspaces-channels';
import { count, listOf, TOKENS } from './plural';

/** "Synced 12 tokens: 3 new, 1 updated" (only the parts that happened). */
export function syncOutcomeText(r: Pick<SyncResultDto, 'total' | 'added' | 'updated' | 'revokedRemote'>): string {
  const changes = listOf([r.added > 0 && `${r.added} new`, r.updated > 0 && `${r.updated} updated`, r.revokedRemote > 0 && `${r.revokedRemote} revoked at the service`]);
  return `Synced ${count(r.total, TOKENS)}${changes ? `: ${changes}` : ', no changes'}`;
}
