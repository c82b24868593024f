import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, EventName, InvokeChannel } from '../../../src/shared/ipc-contract';
import type { TokensChangedEvent } from '../../../src/shared/ipc/tokens-channels';
import { createAppService, type AppService } from '../../../src/main/ipc/create-app-service';
import type { Dispatch } from '../../../src/main/ipc/dispatcher';
import { noKeychain } from '../../../src/main/vault';
import { MemoryClipboard, RecordingNotifier } from '../../support/desktop-stand-ins';
import { createCloudflareServer } from '../../servers/contract/cloudflare-server';
import { createGitlabServer } from '../../servers/contract/gitlab-server';

/**
 * The one "after a change" path: after every mutating call the badge (NotifierPort.setAttentionCount) shows the new
 * count at once, not at the next 15-minute tick, and the window hears exactly one `tokens:changed`. Each test changes
 * what needs attention with one channel and reads the badge right after that call returns.
 *
 * A ladder step applies only to tokens that live longer than it, so a token is never "expiring" on the day it is
 * issued. The app's clock therefore runs six days ahead of the services': what they issue "now" is already six days
 * old to the reminders, and a seven-day token is inside its last week.
 */
const DAY = 86_400_000;
const clock = { now: () => new Date(Date.now() + 6 * DAY) };
const gl = createGitlabServer();
const cf = createCloudflareServer();
const dir = mkdtempSync(join(tmpdir(), 'tv-after-change-'));
const notifier = new RecordingNotifier();
const events: { event: EventName; payload: unknown }[] = [];
let app: AppService;
let dispatch: Dispatch;
const ids: Record<string, string> = {};

async function call<T>(channel: InvokeChannel, input?: unknown): Promise<T> {
  const r = await dispatch(channel, { isMainFrame: true, url: 'app://token-vault/index.html' }, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Runs one mutating call; returns the badge before and after, the true count after, and the events it sent. */
async function change(channel: InvokeChannel, input?: unknown) {
  const before = notifier.attentionCount;
  const truthBefore = app.reminders.summary().counts.total;
  const seen = events.length;
  const value = await call<unknown>(channel, input);
  return { before, truthBefore, badge: notifier.attentionCount, truth: app.reminders.summary().counts.total, sent: events.slice(seen), value };
}

function expectBadgeFollowed(out: Awaited<ReturnType<typeof change>>) {
  // The action really changed what needs attention...
  expect(out.truth).not.toBe(out.truthBefore);
  // ...and the badge says so the moment the call returns.
  expect(out.badge).toBe(out.truth);
  expect(out.badge).not.toBe(out.before);
  expect(out.sent.filter((e) => e.event === 'tokens:changed')).toHaveLength(1);
}

beforeAll(async () => {
  await gl.server.start();
  await cf.server.start();
  app = createAppService({
    userDataDir: dir,
    clipboard: new MemoryClipboard(),
    notifier,
    clock,
    keychain: noKeychain,
    emit: <E extends EventName>(event: E, payload: EventMap[E]) => void events.push({ event, payload }),
  });
  dispatch = app.dispatcher(() => true);
  await call('vault:create', { password: 'after-change-password', useKeychain: false });
  ids['gl'] = (await call<{ id: string }>('workspaces:add', { kind: 'gitlab', name: 'gl', baseUrl: `${gl.server.url}#projects=5`, adminSecret: gl.adminToken })).id;
  ids['cf'] = (await call<{ id: string }>('workspaces:add', { kind: 'cloudflare', name: 'cf', baseUrl: cf.server.url, adminSecret: cf.adminToken })).id;
  expect(notifier.attentionCount).toBe(0);
});

afterAll(async () => {
  app.close();
  await gl.server.stop();
  await cf.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the badge follows every change at once (one after-change path)', () => {
  it('tokens:create of a token expiring in a week', async () => {
    const out = await change('tokens:create', { workspaceId: ids['gl'], name: 'soon', expiryPreset: '7d', scopes: ['api'] });
    ids['soon'] = (out.value as { token: { id: string } }).token.id;
    expectBadgeFollowed(out);
  });

  it('tokens:regenerate with a new lifetime', async () => {
    expectBadgeFollowed(await change('tokens:regenerate', { tokenId: ids['soon'], expiresAt: new Date(Date.now() + 120 * DAY).toISOString() }));
  });

  it('tokens:revoke of a token that was about to expire', async () => {
    const doomed = await call<{ token: { id: string } }>('tokens:create', { workspaceId: ids['gl'], name: 'doomed', expiryPreset: '7d', scopes: ['api'] });
    expectBadgeFollowed(await change('tokens:revoke', { tokenId: doomed.token.id }));
  });

  it('tokens:delete of a token about to expire, then trash:restore of it', async () => {
    const t = await call<{ token: { id: string } }>('tokens:create', { workspaceId: ids['gl'], name: 'trashed', expiryPreset: '7d', scopes: ['api'] });
    const deleted = await change('tokens:delete', { tokenId: t.token.id });
    expectBadgeFollowed(deleted);
    expect(deleted.sent.find((e) => e.event === 'tokens:changed')?.payload).toEqual({ tokens: [], removedIds: [t.token.id] });
    const restored = await change('trash:restore', { id: (deleted.value as { id: string }).id });
    expectBadgeFollowed(restored);
    expect((restored.sent.find((e) => e.event === 'tokens:changed')?.payload as TokensChangedEvent).tokens?.map((x) => x.id)).toEqual([t.token.id]);
  });

  it('workspaces:sync that learns the service expired a token', async () => {
    const created = await call<{ token: { id: string } }>('tokens:create', { workspaceId: ids['cf'], name: 'dns', expiresAt: new Date(Date.now() + 60 * DAY).toISOString(), scopes: ['pg1'] });
    ids['dns'] = created.token.id;
    cf.tokens[cf.tokens.length - 1]!.status = 'expired';
    expectBadgeFollowed(await change('workspaces:sync', { id: ids['cf'] }));
  });

  it('tokens:set-active of that token', async () => {
    expectBadgeFollowed(await change('tokens:set-active', { tokenId: ids['dns'], active: true }));
  });

  it('vault:update-settings with a longer warning ladder', async () => {
    expectBadgeFollowed(await change('vault:update-settings', { warningDays: [118, 55] }));
  });

  it('workspaces:remove of a workspace with its tokens', async () => {
    expectBadgeFollowed(await change('workspaces:remove', { id: ids['cf'], withTokens: true }));
  });
});

describe('tokens:changed carries the changed rows, so the window patches them instead of reloading', () => {
  it('a mutation sends the DTO of the one token it changed; a removal sends its id; a non-mutating call sends nothing', async () => {
    const created = await change('tokens:create', { workspaceId: ids['gl'], name: 'patched', expiresAt: new Date(Date.now() + 60 * DAY).toISOString(), scopes: ['api'] });
    const id = (created.value as { token: { id: string } }).token.id;
    const sent = created.sent.find((e) => e.event === 'tokens:changed')?.payload as TokensChangedEvent;
    expect(sent.tokens?.map((t) => t.id)).toEqual([id]);
    expect(sent.tokens?.[0]).toMatchObject({ name: 'patched', workspaceName: 'gl', providerKind: 'gitlab', expiry: 'warning' });
    expect(JSON.stringify(sent)).not.toContain((created.value as { secret: string }).secret);

    const revoked = await change('tokens:revoke', { tokenId: id });
    expect(revoked.value).toMatchObject({ id, status: 'revoked', workspaceName: 'gl' });

    const seen = events.length;
    await call('tokens:list');
    await call('reminders:get-summary');
    expect(events.slice(seen).filter((e) => e.event === 'tokens:changed')).toEqual([]);

    const removed = await change('workspaces:remove', { id: ids['gl'], withTokens: true });
    const payload = removed.sent.find((e) => e.event === 'tokens:changed')?.payload as TokensChangedEvent;
    // Removing a workspace changes every view (names, counts): the window reloads.
    expect(payload.tokens).toBeNull();
  });
});
