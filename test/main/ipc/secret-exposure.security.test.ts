import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging } from '../../../src/main/log/redacting-logger';
import { createAppService, type AppService } from '../../../src/main/ipc/create-app-service';
import type { Dispatch } from '../../../src/main/ipc/dispatcher';
import { formatIdentity, generateDeviceKeys, openDeviceKeys } from '../../../src/main/use-cases/sharing/device-identity';
import { noKeychain } from '../../../src/main/vault';
import { execFileSync } from 'node:child_process';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../../src/shared/ipc-contract';
import type { Result } from '../../../src/shared/result';
import { ContractServer, type ContractRequest } from '../../servers/contract/contract-server';
import { createGiteaServer } from '../../servers/contract/gitea-server';
import { createGitlabServer } from '../../servers/contract/gitlab-server';

/**
 * A realistic session through the real dispatcher and service, against contract servers, with the log sink captured:
 * every channel's answer, every event, notification and log line is searched for every secret the session knows
 * (master passwords, admin credentials, issued and pasted secrets). Secrets are chosen without a known token shape,
 * so only not passing them on keeps them out (the redacting patterns cannot catch them).
 * Allowed: `secret` in the one-time reveal answers and AppError.unsavedSecret, nowhere else.
 */
const MASTER = 'master pw 4 tests';
const MASTER2 = 'second master pw 4';
const GL_ADMIN = 'gl adm1n cred';
const GITEA_PASSWORD = 'gitea pw 99';
const ECHO_ADMIN = 'echo adm1n cred';
const PASTED = 'pasted-manual-s3cret';
const PASTED_ROTATED = 'pasted-rotated-s3cret';
const TRASHED = 'trashed-manual-s3cret';
const IMPORTED = 'imported-from-dotenv-s3cret';

/** Channels whose answer may carry a secret, in `secret` (or AppError.unsavedSecret) only. */
const REVEALING = new Set<InvokeChannel>(['tokens:create', 'tokens:regenerate', 'tokens:reveal', 'rotation:rotate-token', 'rotation:paste-secret', 'rotation:resume-all']);

const gitlab = createGitlabServer(GL_ADMIN);
const gitea = createGiteaServer('gitea-admin', GITEA_PASSWORD);
// A GitLab look-alike whose create fails with an error that repeats the request's headers and body.
const echo = new ContractServer([
  ['GET', /^\/api\/v4\/user$/, (req: ContractRequest) => (req.headers['private-token'] === ECHO_ADMIN ? { status: 200, json: { id: 1, username: 'root' } } : { status: 401, json: { message: `bad token ${String(req.headers['private-token'])}` } })],
  // A list in a form Token Vault does not understand, repeating the credential: the validation warning is logged.
  ['GET', /personal_access_tokens$/, (req: ContractRequest) => ({ status: 200, json: [{ id: String(req.headers['private-token']), name: 7 }] })],
  ['POST', /personal_access_tokens$/, (req: ContractRequest) => ({ status: 422, json: { message: `rejected ${JSON.stringify(req.body)} from ${JSON.stringify(req.headers)}` } })],
]);

const dir = mkdtempSync(join(tmpdir(), 'tv-exposure-'));
const logLines: string[] = [];
const events: string[] = [];
const notifications: string[] = [];
const secrets = new Set<string>([MASTER, MASTER2, GL_ADMIN, GITEA_PASSWORD, ECHO_ADMIN, PASTED, PASTED_ROTATED, TRASHED, IMPORTED]);
// The OS dialogs' stand-in: the file to import and the backup folder the user "chose".
const importFile = join(dir, 'chosen', 'app.env');
mkdirSync(join(dir, 'chosen'));
writeFileSync(importFile, `IMPORTED_TOKEN=${IMPORTED}\n`);
// A likely token the vault does not hold yet, beside the imported one: what "Scan for tokens" finds.
const FOUND = `ghp_${'Sc4nF0und'.repeat(4)}`;
writeFileSync(join(dir, 'chosen', 'ci.env'), `# ci\nGH_TOKEN=${FOUND}\n`);
secrets.add(FOUND);
const answers: { channel: InvokeChannel; result: Result<unknown> }[] = [];
let app: AppService;
let dispatch: Dispatch;
const clipboard = { text: '', writeText: async (t: string) => void (clipboard.text = t), readText: async () => clipboard.text, clear: () => void (clipboard.text = '') };

beforeAll(async () => {
  configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
  await Promise.all([gitlab.server.start(), gitea.server.start(), echo.start()]);
  app = createAppService({
    userDataDir: dir,
    clipboard,
    notifier: { notify: (title, body) => notifications.push(`${title} ${body}`), setAttentionCount: () => {} },
    emit: (event, payload) => events.push(`${event} ${JSON.stringify(payload)}`),
    keychain: noKeychain,
    dialogs: { chooseFile: async () => importFile, chooseFolder: async (purpose) => (purpose === 'scan' ? join(dir, 'chosen') : join(dir, 'chosen', 'backups')) },
  });
  dispatch = app.dispatcher(() => true);
});
afterAll(async () => {
  app.close();
  configureLogging({ level: 'warn', sink: (line) => process.stderr.write(line + '\n') });
  await Promise.all([gitlab.server.stop(), gitea.server.stop(), echo.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function call<T = unknown>(channel: InvokeChannel, input?: unknown): Promise<Result<T>> {
  const result = (await dispatch(channel, { isMainFrame: true, url: 'app://test' }, input)) as Result<T>;
  answers.push({ channel, result });
  // Learn every secret handed out, so later answers are checked for it too.
  JSON.stringify(result, (k, v: unknown) => {
    if ((k === 'secret' || k === 'unsavedSecret') && typeof v === 'string') secrets.add(v);
    return v;
  });
  return result;
}
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** The answer without the fields a revealing channel may carry. */
const withoutAllowed = (channel: InvokeChannel, result: Result<unknown>): string =>
  JSON.stringify(result, (k, v: unknown) => (REVEALING.has(channel) && (k === 'secret' || k === 'unsavedSecret') ? '[allowed]' : v));

const leaks = (text: string) => [...secrets].filter((s) => text.includes(s));

describe('a whole session never hands a secret where it must not go', () => {
  it('walks every channel; secrets appear only in the one-time reveal answers', async () => {
    value(await call('vault:get-state'));
    value(await call('vault:create', { password: MASTER, useKeychain: false }));
    value(await call('providers:list'));

    const gl = value(await call<{ id: string; hasAdminCredential: boolean }>('workspaces:add', { kind: 'gitlab', name: 'GL', baseUrl: gitlab.server.url, adminSecret: GL_ADMIN }));
    expect(gl.hasAdminCredential).toBe(true);
    const gt = value(await call<{ id: string }>('workspaces:add', { kind: 'gitea', name: 'Gitea', baseUrl: gitea.server.url, username: 'gitea-admin', adminSecret: GITEA_PASSWORD }));
    const ec = value(await call<{ id: string }>('workspaces:add', { kind: 'gitlab', name: 'Echo', baseUrl: echo.url, adminSecret: ECHO_ADMIN }));
    const man = value(await call<{ id: string }>('workspaces:add', { kind: 'manual', name: 'Manual' }));
    // A wrong admin credential: refused, and the refusal does not repeat it.
    expect((await call('workspaces:add', { kind: 'gitlab', name: 'Wrong', baseUrl: echo.url, adminSecret: 'wrong adm1n x' })).ok).toBe(false);
    secrets.add('wrong adm1n x');

    const created = value(await call<{ token: { id: string }; secret: string }>('tokens:create', { workspaceId: gl.id, name: 'ci', scopes: ['api'], expiryPreset: '30d' }));
    const regenerated = value(await call<{ token: { id: string } }>('tokens:regenerate', { tokenId: created.token.id }));
    const renewed = value(await call<{ kind: string; tokenId: string }>('rotation:rotate-token', { tokenId: regenerated.token.id }));
    expect(renewed.kind).toBe('renewed');
    const giteaTok = value(await call<{ token: { id: string } }>('tokens:create', { workspaceId: gt.id, name: 'deploy' }));
    const replaced = value(await call<{ kind: string; newTokenId: string }>('rotation:rotate-token', { tokenId: giteaTok.token.id }));
    expect(replaced.kind).toBe('awaiting-confirmation');
    value(await call('rotation:list-pending'));
    value(await call('rotation:confirm-deployed', { tokenId: replaced.newTokenId }));
    // "Used in": a token deployed to a .env; push now, then a rotation that writes it, checks it and revokes the old
    // one on its own (progress events while it runs); the answers and events name the file, never the secret.
    const usedTok = value(await call<{ token: { id: string } }>('tokens:create', { workspaceId: gt.id, name: 'used-in' }));
    const envPath = join(dir, 'app.env');
    writeFileSync(envPath, '# app\nAPP=shop\n');
    const target = value(await call<{ id: string }>('targets:add', { tokenId: usedTok.token.id, spec: { kind: 'dotenv', path: envPath, key: 'DEPLOY_TOKEN' } }));
    value(await call('targets:push', { tokenId: usedTok.token.id }));
    const usedRotated = value(await call<{ kind: string; newTokenId: string }>('rotation:rotate-token', { tokenId: usedTok.token.id }));
    expect(usedRotated.kind).toBe('replaced');
    expect(readFileSync(envPath, 'utf8')).toMatch(/^DEPLOY_TOKEN=.+$/m);
    expect(value(await call<{ id: string }[]>('targets:list', { tokenId: usedRotated.newTokenId })).map((t) => t.id)).toEqual([target.id]);
    value(await call('targets:remove', { tokenId: usedRotated.newTokenId, targetId: target.id }));
    expect(events.some((e) => e.startsWith('rotation:progress ')) && events.some((e) => e.startsWith('targets:progress '))).toBe(true);
    // The failing create whose error repeats the request: an error, and nothing secret in it.
    expect(await call('tokens:create', { workspaceId: ec.id, name: 'fails', scopes: ['api'], expiryPreset: '7d' })).toMatchObject({ ok: false });

    const pasted = value(await call<{ id: string }>('tokens:add', { workspaceId: man.id, name: 'pasted', secret: PASTED }));
    value(await call('rotation:rotate-token', { tokenId: pasted.id }));
    value(await call('rotation:paste-secret', { tokenId: pasted.id, secret: PASTED_ROTATED }));
    value(await call('rotation:resume-all'));

    const list = value(await call<{ id: string }[]>('tokens:list'));
    expect(list.length).toBeGreaterThan(3);
    const ids = list.map((t) => t.id);
    value(await call('tokens:update', { tokenId: created.token.id, notes: 'rotated monthly' }));
    value(await call('tokens:copy-secret', { tokenId: renewed.tokenId }));
    await call('tokens:copy-prefix', { tokenId: renewed.tokenId });
    value(await call('tokens:copy-snippet', { tokenId: renewed.tokenId, kind: 'env' }));
    // A secret the window holds because storing it failed: main copies it, and its answer does not repeat it.
    secrets.add('glpat-unsaved-only-in-the-reveal-0001');
    value(await call('tokens:copy-unsaved-secret', { secret: 'glpat-unsaved-only-in-the-reveal-0001' }));
    value(await call('desktop:open-link', { url: `${gitlab.server.url}/-/user_settings/personal_access_tokens`, workspaceId: gl.id }));
    value(await call('desktop:get-lock-triggers'));
    expect((await call('tokens:reveal', { tokenId: renewed.tokenId, password: 'not the password' })).ok).toBe(false);
    secrets.add('not the password');
    value(await call('tokens:reveal', { tokenId: renewed.tokenId, password: MASTER }));
    await call('tokens:set-active', { tokenId: renewed.tokenId, active: false });
    value(await call('reminders:get-summary'));
    value(await call('reminders:get-tokens', { tokenIds: ids }));
    value(await call('reminders:snooze-token', { tokenId: renewed.tokenId, for: '1d' }));
    value(await call('reminders:unsnooze-token', { tokenId: renewed.tokenId }));
    value(await call('reminders:mark-rotated', { tokenId: renewed.tokenId }));
    value(await call('workspaces:list'));
    // Logged flows: a retried list (503), a create whose answer is lost (reconciled by listing), a list failing validation.
    gitlab.server.inject({ kind: 'status', status: 503, method: 'GET', path: /personal_access_tokens$/ });
    gitlab.server.inject({ kind: 'reset-after', method: 'POST', path: /personal_access_tokens$/ });
    await call('tokens:create', { workspaceId: gl.id, name: 'lost-answer', scopes: ['api'], expiryPreset: '7d' });
    value(await call('workspaces:sync', {}));
    // A create cancelled while its request is under way: announced (operations:changed), cancelled, reconciled.
    gitlab.server.inject({ kind: 'delay', method: 'POST', path: /personal_access_tokens$/, ms: 500 });
    const seenBefore = events.length;
    const slow = call('tokens:create', { workspaceId: gl.id, name: 'cancelled-create', scopes: ['api'], expiryPreset: '7d' });
    let operationId: string | undefined;
    for (let i = 0; i < 200 && !operationId; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const announced = events.slice(seenBefore).find((e) => e.startsWith('operations:changed ') && e.includes('"kind":"create"'));
      operationId = announced ? /"id":"([^"]+)"/.exec(announced)?.[1] : undefined;
    }
    expect(operationId).toBeDefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(value(await call<{ cancelled: boolean }>('operations:cancel', { operationId }))).toEqual({ cancelled: true });
    expect((await slow).ok).toBe(false);
    value(await call('workspaces:update', { id: gt.id, adminSecret: GITEA_PASSWORD }));
    // Nothing held: confirming a credential for an address answers the workspace as it is (never the credential).
    value(await call('workspaces:confirm-credential', { id: gt.id, origin: new URL(gitea.server.url).origin }));
    // Moving in: the chosen file's preview and import answer names, never the secret in the file.
    const chosen = value(await call<{ fileId: string; format: string }>('transfer:choose-import-file'));
    expect(chosen.format).toBe('dotenv');
    const preview = value(await call<{ entries: { name: string }[] }>('transfer:preview-import', { fileId: chosen.fileId, format: 'dotenv' }));
    expect(preview.entries.map((e) => e.name)).toEqual(['IMPORTED_TOKEN']);
    expect(value(await call<{ inserted: number }>('transfer:import', { fileId: chosen.fileId, format: 'dotenv' })).inserted).toBe(1);
    // The same file dropped on the window: its name and format, never its contents (nothing new to import).
    const dropped = value(await call<{ fileId: string; fileName: string }>('transfer:accept-dropped-file', { path: importFile }));
    expect(dropped.fileName).toBe('app.env');
    // The daily backup's status and folder.
    value(await call('backup:get-status'));
    value(await call('backup:choose-folder'));
    expect(value(await call<{ lastBackup: unknown }>('backup:run-now')).lastBackup).not.toBeNull();
    value(await call('backup:reset-folder'));
    // Scan for tokens: the imported secret's place and the unknown token, by file, line and name; then both added.
    const folder = value(await call<{ folderId: string }>('scan:choose-folder'));
    const scan = value(await call<{ findings: { id: string; kind: string; token?: string; prefix?: string }[] }>('scan:start', { folderId: folder.folderId }));
    const storedPlace = scan.findings.find((f) => f.kind === 'stored' && f.token === 'IMPORTED_TOKEN');
    const unknownPlace = scan.findings.find((f) => f.kind === 'unknown');
    expect(unknownPlace?.prefix).toBe('ghp_');
    expect(value(await call<{ linked: boolean }>('scan:add-target', { findingId: storedPlace?.id })).linked).toBe(true);
    const added = value(await call<{ finding: { linked: boolean } }>('scan:add-to-vault', { findingId: unknownPlace?.id, workspaceId: man.id, name: 'found-gh', linkAsTarget: true }));
    expect(added.finding.linked).toBe(true);
    expect(value(await call('scan:cancel'))).toEqual({ cancelled: false });
    value(await call('vault:get-settings'));
    value(await call('vault:update-settings', { clipboardClearSeconds: 5 }));
    expect((await call('vault:change-password', { currentPassword: 'also not it', newPassword: MASTER2 })).ok).toBe(false);
    secrets.add('also not it');
    value(await call('vault:change-password', { currentPassword: MASTER, newPassword: MASTER2 }));
    expect((await call('vault:set-keychain-unlock', { enabled: true })).ok).toBe(false);
    await call('tokens:revoke', { tokenId: renewed.tokenId });
    // The trash (issue 12): a token in and out and in again, then emptied; the Echo workspace (its admin credential
    // sealed in the trash) stays there, so the file check below covers a trashed credential.
    const doomed = value(await call<{ id: string }>('tokens:add', { workspaceId: man.id, name: 'to-trash', secret: TRASHED }));
    const entry = value(await call<{ id: string }>('tokens:delete', { tokenId: doomed.id }));
    value(await call('trash:restore', { id: entry.id }));
    const again = value(await call<{ id: string }>('tokens:delete', { tokenId: doomed.id }));
    value(await call('workspaces:remove', { id: ec.id, withTokens: true }));
    expect(value(await call<{ kind: string }[]>('trash:list')).map((e) => e.kind).sort()).toEqual(['token', 'workspace']);
    expect(value(await call('trash:empty', { ids: [again.id] }))).toEqual({ purged: 1 });
    value(await call('vault:lock'));
    expect((await call('vault:unlock', { password: 'a wrong master pw' })).ok).toBe(false);
    secrets.add('a wrong master pw');
    value(await call('vault:unlock', { password: MASTER2 }));

    // Sharing over git (issue 14): a share of the manual workspace (it holds a pasted secret), a member added and
    // removed, a second workspace, syncs; a join of a remote that is not a share fails without repeating anything.
    const bare = join(dir, 'team.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    value(await call('share:get-identity'));
    value(await call('share:copy-identity'));
    value(await call('share:init', { remote: bare, team: 'team', workspaceIds: [man.id] }));
    const bob = formatIdentity(openDeviceKeys(generateDeviceKeys('bob')).publicIdentity);
    value(await call('share:add-member', { team: 'team', name: 'bob', identity: bob }));
    value(await call('share:add-workspace', { team: 'team', workspaceId: gt.id }));
    value(await call('share:remove-member', { team: 'team', name: 'bob' }));
    value(await call('share:sync', {}));
    value(await call('share:sync', { team: 'team' }));
    expect(value(await call('share:list-candidates', { recordId: pasted.id }))).toEqual([]);
    expect((await call('share:pick-secret', { recordId: pasted.id, index: 0 })).ok).toBe(false);
    expect((await call('share:join', { remote: join(dir, 'no-such-remote.git') })).ok).toBe(false);
    const overview = value(await call<{ shares: { remote: string }[]; sharedWorkspaces: Record<string, string> }>('share:get-overview'));
    expect(overview.sharedWorkspaces[man.id]).toBe('team');
    // The repository holds none of the session's secrets.
    const objects = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], { cwd: bare, maxBuffer: 1 << 28 });
    for (const secret of secrets) expect(objects.includes(Buffer.from(secret)), 'a secret in the share repository').toBe(false);

    // Every channel was walked (a new channel must join this walk).
    expect(new Set(answers.map((a) => a.channel))).toEqual(new Set(INVOKE_CHANNELS));
    // The reveals did hand out secrets (the test would be vacuous otherwise).
    expect(secrets.size).toBeGreaterThan(12);

    for (const { channel, result } of answers) expect(leaks(withoutAllowed(channel, result)), `${channel}: ${withoutAllowed(channel, result).slice(0, 300)}`).toEqual([]);
    expect(leaks(events.join('\n'))).toEqual([]);
    expect(leaks(notifications.join('\n'))).toEqual([]);
    const logged = logLines.join('\n');
    for (const expected of ['retrying after an HTTP error', 'create answer lost', 'response failed validation']) expect(logged).toContain(expected);
    expect(leaks(logLines.join('\n'))).toEqual([]);
  }, 60_000);

  it('workspaces:list says only whether an admin credential is stored', async () => {
    const r = value(await call<Record<string, unknown>[]>('workspaces:list'));
    for (const w of r) {
      // credentialHold: origins and a date, never the credential (see workspace DTO).
      expect(Object.keys(w).sort()).toEqual(['baseUrl', 'credentialHold', 'hasAdminCredential', 'id', 'kind', 'lastSyncAt', 'lastSyncError', 'name', 'tokenPageUrl', 'username']);
    }
  });

  it('the vault file and its journal hold no secret in the clear', () => {
    app.session.lock('user');
    const bytes = ['vault.db', 'vault.db-wal', 'vault.db-journal']
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(bytes.length).toBeGreaterThan(0);
    expect(leaks(bytes)).toEqual([]);
  });
});
