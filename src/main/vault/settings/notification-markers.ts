import type { VaultCore } from '../db/vault-core';
import type { NotificationMarker } from '../db/vault-types';

// Which reminder thresholds were already notified: clear rows, so they work while the vault is locked.

export function markNotified(core: VaultCore, tokenId: string, threshold: string, at: Date): void {
  core.write(() =>
    core.db
      .prepare(
        `INSERT INTO notifications_sent (token_id, threshold, sent_at) VALUES (?, ?, ?)
         ON CONFLICT (token_id, threshold) DO UPDATE SET sent_at = excluded.sent_at`,
      )
      .run(tokenId, threshold, at.toISOString()),
  );
}

export function hasNotified(core: VaultCore, tokenId: string, threshold: string): boolean {
  return core.read(
    () => !!core.db.prepare('SELECT 1 FROM notifications_sent WHERE token_id = ? AND threshold = ?').get(tokenId, threshold),
  );
}

export function listNotified(core: VaultCore, tokenId?: string): NotificationMarker[] {
  const rows = core.read(() =>
    tokenId === undefined
      ? core.db.prepare('SELECT token_id, threshold, sent_at FROM notifications_sent').all()
      : core.db.prepare('SELECT token_id, threshold, sent_at FROM notifications_sent WHERE token_id = ?').all(tokenId),
  ) as { token_id: string; threshold: string; sent_at: string }[];
  return rows.map((r) => ({ tokenId: r.token_id, threshold: r.threshold, sentAt: r.sent_at }));
}

export function clearNotified(core: VaultCore, tokenId: string, threshold?: string): void {
  core.write(() =>
    threshold === undefined
      ? core.db.prepare('DELETE FROM notifications_sent WHERE token_id = ?').run(tokenId)
      : core.db.prepare('DELETE FROM notifications_sent WHERE token_id = ? AND threshold = ?').run(tokenId, threshold),
  );
}

/** "This reminder threshold was already notified": `vault.notifications`. Clear rows, usable while locked. */
export interface VaultNotificationMarkers {
  mark(tokenId: string, threshold: string, at?: Date): void;
  has(tokenId: string, threshold: string): boolean;
  list(tokenId?: string): NotificationMarker[];
  clear(tokenId: string, threshold?: string): void;
}

export const vaultNotificationMarkers = (core: VaultCore): VaultNotificationMarkers => ({
  mark: (tokenId, threshold, at = new Date()) => markNotified(core, tokenId, threshold, at),
  has: (tokenId, threshold) => hasNotified(core, tokenId, threshold),
  list: (tokenId) => listNotified(core, tokenId),
  clear: (tokenId, threshold) => clearNotified(core, tokenId, threshold),
});
