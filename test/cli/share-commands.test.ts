import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKeys, openDeviceKeys } from '../../src/main/use-cases/sharing/device-identity';
import type { MemberList } from '../../src/main/use-cases/sharing/member-list';
import { encodeRecord, recordPath, type RecordPayload } from '../../src/main/use-cases/sharing/record-file';
import { parseEngineState } from '../../src/main/use-cases/sharing/share-sync';
import { sharingEngineFor } from '../../src/main/use-cases/sharing';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { startGitHttpServer, type GitHttpServer } from '../main/use-cases/sharing/git-http-server';
import { CLI, ensureCliBuilt, runCli, type CliRun } from './cli-process';

/**
 * `token-vault share ...` as real processes: three devices (three vault files, three identities) against a bare
 * repository over a file path and over git's smart HTTP (git http-backend on 127.0.0.1).
 */

const PASSWORD = 'share cli password';
const root = mkdtempSync(join(tmpdir(), 'tv-cli-share-'));
let http: GitHttpServer;

beforeAll(async () => {
  ensureCliBuilt();
  mkdirSync(join(root, 'remotes'));
  http = await startGitHttpServer(join(root, 'remotes'));
}, 600_000);
afterAll(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=host', '-c', 'user.email=host@example.invalid', ...args], { cwd }).toString();

function bareRepo(name: string): string {
  const dir = join(root, 'remotes', `${name}.git`);
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  execFileSync('git', ['config', 'http.receivepack', 'true'], { cwd: dir });
  return dir;
}

interface Dev {
  name: string;
  path: string;
  env: Record<string, string>;
  run(...args: string[]): Promise<CliRun>;
  json<T>(...args: string[]): Promise<T>;
  /** Opens the vault file in this process for a moment (as the app would), and closes it. */
  vault<T>(fn: (v: Vault) => T): Promise<T>;
}

async function device(name: string): Promise<Dev> {
  const dir = join(root, 'devices', name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'vault.db');
  (await Vault.create(path, { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD, TOKEN_VAULT_DEVICE_NAME: name.split('-')[0] as string };
  const run = (...args: string[]) => runCli(args, env);
  return {
    name,
    path,
    env,
    run,
    async json<T>(...args: string[]) {
      const r = await run(...args, '--json');
      if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    async vault<T>(fn: (v: Vault) => T) {
      const v = Vault.open(path, { keychain: noKeychain });
      try {
        await v.keys.unlockWithPassword(PASSWORD);
        return fn(v);
      } finally {
        v.close();
      }
    },
  };
}

/** Every token of a vault with its secret and shared fields: what "the vault is unchanged" compares. */
const tokensOf = (d: Dev) =>
  d.vault((v) => {
    const secrets = v.tokens.readAllSecrets();
    return v.tokens
      .list()
      .map((t) => ({ id: t.id, name: t.name, notes: t.notes, status: t.status, secret: secrets.get(t.id) ?? null }))
      .sort((x, y) => x.id.localeCompare(y.id));
  });

const TRANSPORTS = [
  { name: 'a file path', remote: (bare: string) => bare },
  { name: "git's smart HTTP on 127.0.0.1", remote: (bare: string) => `${http.url}/${bare.split('/').at(-1)}` },
] as const;

describe.each(TRANSPORTS)('token-vault share over $name (three devices, spawned processes)', (transport) => {
  let a: Dev;
  let b: Dev;
  let c: Dev;
  let bare = '';
  let remote = '';
  const team = 'platform';
  const plaintexts: string[] = [];
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    const slug = transport.name.startsWith('a file') ? 'path' : 'http';
    bare = bareRepo(`team-${slug}`);
    remote = transport.remote(bare);
    [a, b, c] = await Promise.all([device(`alice-${slug}`), device(`bob-${slug}`), device(`carol-${slug}`)]);
    ids = await a.vault((v) => {
      const ws = v.workspaces.create({ kind: 'gitlab', name: 'acme', baseUrl: 'https://gitlab.acme-internal.example', username: 'ci-robot', adminCredential: 'glpat-ADMIN-SECRET-0000' });
      const out = v.tokens.applyBatch(ws.id, {
        insert: ['deploy', 'release', 'registry'].map((n) => ({ workspaceId: ws.id, name: `acme-${n}`, notes: `the ${n} runbook`, secret: `glpat-${n.toUpperCase()}-SECRET-1111` })),
      });
      return { ws: ws.id, ...Object.fromEntries(out.inserted.map((t) => [t.name.slice(5), t.id])) };
    });
    plaintexts.push('acme', 'gitlab.acme-internal.example', 'ci-robot', 'glpat-ADMIN-SECRET-0000', 'acme-deploy', 'the deploy runbook', 'glpat-DEPLOY-SECRET-1111', 'glpat-RELEASE-SECRET-1111', team);
  }, 120_000);

  it('share identity prints one line; share init shares the workspace; a second init into that repository is refused', async () => {
    const id = await a.run('share', 'identity');
    expect(id.code).toBe(0);
    expect(id.stdout.trim().split('\n')).toHaveLength(1);
    const init = await a.json<{ team: string; pushed: number; rejected: unknown[] }>('share', 'init', '--remote', remote, '--name', team, '--workspace', 'acme');
    expect(init).toMatchObject({ team, pushed: 4, rejected: [] });
    const again = await b.run('share', 'init', '--remote', remote, '--name', 'other', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'share-not-empty' } });
    const usage = await a.run('share', 'init', '--name', team);
    expect(usage.code).toBe(2);
  }, 120_000);

  it('join: refused until a member adds the device; then it reads every token; members --json lists them', async () => {
    const early = await b.run('share', 'join', '--remote', remote, '--json');
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout)).toMatchObject({ error: { code: 'share-not-member' } });
    for (const d of [b, c]) {
      const identity = (await d.run('share', 'identity')).stdout.trim();
      const add = await a.run('share', 'add-member', d.name.split('-')[0] as string, identity);
      expect(add.code, add.stderr).toBe(0);
      const join = await d.run('share', 'join', '--remote', remote);
      expect(join.code, join.stderr).toBe(0);
      expect(join.stdout).toMatch(/Joined "platform"/);
    }
    expect(await tokensOf(b)).toEqual(await tokensOf(a));
    expect(await tokensOf(c)).toEqual(await tokensOf(a));
    const members = await c.json<{ team: string; members: { name: string; you: boolean }[] }[]>('share', 'members');
    expect(members[0]?.members.map((m) => [m.name, m.you])).toEqual([
      ['alice', false],
      ['bob', false],
      ['carol', true],
    ]);
  }, 180_000);

  it('concurrent edits on two devices and one device offline: every edit survives everywhere', async () => {
    await a.vault((v) => v.tokens.update(ids['deploy'] as string, { notes: 'alice: new runbook' }));
    await b.vault((v) => v.tokens.update(ids['deploy'] as string, { status: 'inactive' }));
    // carol is offline meanwhile and adds a token
    const carols = await c.vault((v) => v.tokens.insert({ workspaceId: ids['ws'] as string, name: 'carol-offline', secret: 'glpat-CAROL-OFFLINE-2222' }).id);
    plaintexts.push('alice: new runbook', 'carol-offline', 'glpat-CAROL-OFFLINE-2222');
    for (const d of [a, b, a]) expect((await d.run('share', 'sync', team)).code).toBe(0);
    const status = await c.json<{ ahead: number; behind: number }[]>('share', 'status', '--fetch');
    expect(status[0]).toMatchObject({ ahead: 1 });
    expect(status[0]?.behind).toBeGreaterThan(0);
    for (const d of [c, a, b]) expect((await d.run('share', 'sync')).code).toBe(0);
    const want = await tokensOf(a);
    expect(want.find((t) => t.id === ids['deploy'])).toMatchObject({ notes: 'alice: new runbook', status: 'inactive' });
    expect(want.find((t) => t.id === carols)).toMatchObject({ secret: 'glpat-CAROL-OFFLINE-2222' });
    expect(await tokensOf(b)).toEqual(want);
    expect(await tokensOf(c)).toEqual(want);
  }, 180_000);

  it('two secrets: both kept; share status, list and reminders say "two secrets"; share pick lists and keeps one; the pick syncs', async () => {
    const id = ids['release'] as string;
    await a.vault((v) => v.tokens.setSecret(id, 'glpat-RELEASE-BY-ALICE-3333'));
    await b.vault((v) => v.tokens.setSecret(id, 'glpat-RELEASE-BY-BOB-4444'));
    plaintexts.push('glpat-RELEASE-BY-ALICE-3333', 'glpat-RELEASE-BY-BOB-4444');
    await a.run('share', 'sync');
    const bSync = await b.json<{ conflicts: number }>('share', 'sync', team);
    expect(bSync.conflicts).toBe(1);
    const status = await b.json<{ conflicts: number }[]>('share', 'status');
    expect(status[0]?.conflicts).toBe(1);
    expect((await b.run('share', 'status')).stdout).toMatch(/TWO SECRETS/);
    expect((await b.run('reminders')).stdout).toMatch(/two secrets: pick one/);
    expect((await b.run('list')).stdout).toMatch(/acme\/acme-release +active, two secrets: pick one/);
    const listed = await b.run('share', 'pick', 'acme/acme-release');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toMatch(/glpat-RELEASE-BY/);
    const candidates = await b.json<{ n: number; setBy: string }[]>('share', 'pick', 'acme/acme-release');
    const alices = candidates.find((x) => x.setBy === 'alice')?.n as number;
    expect((await b.run('share', 'pick', 'acme/acme-release', String(alices))).code).toBe(0);
    expect((await b.run('share', 'pick', 'acme/acme-release', '1')).code).toBe(1);
    for (const d of [b, a, c]) expect((await d.run('share', 'sync')).code).toBe(0);
    for (const d of [a, b, c]) expect((await tokensOf(d)).find((t) => t.id === id)?.secret).toBe('glpat-RELEASE-BY-ALICE-3333');
  }, 180_000);

  it('a forged record and a tampered file pushed by a non-member are refused (exit 1, reported); the vault is unchanged; the next sync heals', async () => {
    const shareId = await b.vault((v) => v.sharing.listShares()[0]?.shareId as string);
    const list = await b.vault((v) => parseEngineState(v.sharing.listShares()[0]?.engine as string).members as MemberList);
    const mallory = openDeviceKeys(generateDeviceKeys('mallory'));
    const forgedId = 'forged-by-mallory';
    const payload: RecordPayload = {
      v: 1,
      id: forgedId,
      kind: 'token',
      fields: {},
      secret: [{ v: 'mallory-planted', s: `00000000a.0000.${mallory.publicIdentity.deviceId}` }],
      deleted: { v: false, s: `00000000a.0000.${mallory.publicIdentity.deviceId}` },
      history: [],
    };
    const work = mkdtempSync(join(root, 'host-'));
    execFileSync('git', ['clone', '--quiet', bare, work]);
    const forged = recordPath(shareId, forgedId);
    mkdirSync(dirname(join(work, forged)), { recursive: true });
    writeFileSync(join(work, forged), encodeRecord(shareId, forged, payload, { deviceId: mallory.publicIdentity.deviceId, key: mallory.signingKey }, { version: list.version, key: randomBytes(32) }));
    const tampered = recordPath(shareId, ids['registry'] as string);
    const file = readFileSync(join(work, tampered));
    file[file.length - 20] = (file[file.length - 20] as number) ^ 0x40;
    writeFileSync(join(work, tampered), file);
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'planted');
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    rmSync(work, { recursive: true, force: true });

    const before = await tokensOf(b);
    const run = await b.run('share', 'sync', team, '--json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { rejected: { path: string; reason: string }[] };
    expect(out.rejected.map((r) => r.path).sort()).toEqual([forged, tampered].sort());
    expect(await tokensOf(b)).toEqual(before);
    const text = await a.run('share', 'sync');
    expect(text.stderr).toMatch(/Refused|^$/);
    expect((await a.run('share', 'sync')).code).toBe(0);
    expect(await tokensOf(a)).toEqual(before);
  }, 180_000);

  it('kill -9 during share sync, again and again: the next sync completes and nothing is lost', async () => {
    const edits: string[] = [];
    for (const [i, delay] of [150, 400, 700, 1000, 1500].entries()) {
      const note = `kill round ${i}`;
      edits.push(note);
      await a.vault((v) => v.tokens.update(ids['registry'] as string, { notes: note }));
      const secret = `glpat-KILL-ROUND-${i}-5555`;
      await a.vault((v) => v.tokens.insert({ workspaceId: ids['ws'] as string, name: `kill-${i}`, secret }));
      plaintexts.push(secret);
      const child = spawn(process.execPath, [CLI, 'share', 'sync'], { env: { ...process.env, ...a.env }, stdio: 'ignore', detached: true });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      await new Promise((r) => setTimeout(r, delay));
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // it finished first: also a valid outcome
      }
      await exited;
    }
    const after = await a.run('share', 'sync');
    expect(after.code, after.stderr).toBe(0);
    for (const d of [b, c]) expect((await d.run('share', 'sync')).code).toBe(0);
    const want = await tokensOf(a);
    expect(want.find((t) => t.id === ids['registry'])?.notes).toBe(edits.at(-1));
    for (let i = 0; i < 5; i++) expect(want.find((t) => t.name === `kill-${i}`)?.secret).toBe(`glpat-KILL-ROUND-${i}-5555`);
    expect(await tokensOf(b)).toEqual(want);
    expect(await tokensOf(c)).toEqual(want);
  }, 300_000);

  it('the app and the command line syncing the same vault at once: each completes or is told the share is busy; nothing is lost', async () => {
    await a.vault((v) => v.tokens.update(ids['deploy'] as string, { description: 'from the app' }));
    const app = Vault.open(a.path, { keychain: noKeychain });
    await app.keys.unlockWithPassword(PASSWORD);
    try {
      const engine = sharingEngineFor(app);
      const [fromApp, fromCli] = await Promise.all([engine.sync(), a.run('share', 'sync', '--json')]);
      for (const r of fromApp) expect(r.ok || r.error.code === 'share-busy').toBe(true);
      if (fromCli.code !== 0) expect(JSON.parse(fromCli.stdout)).toMatchObject([{ ok: false, error: { code: 'share-busy' } }]);
      const again = await engine.sync();
      expect(again.every((r) => r.ok)).toBe(true);
    } finally {
      app.close();
    }
    expect((await b.run('share', 'sync')).code).toBe(0);
    expect((await tokensOf(b)).find((t) => t.id === ids['deploy'])).toMatchObject({ notes: 'alice: new runbook' });
    expect(await b.vault((v) => v.tokens.get(ids['deploy'] as string).description)).toBe('from the app');
  }, 180_000);

  it('remove-member: carol is removed; every token she could read is "member removed" in reminders on alice and bob', async () => {
    const live = (await tokensOf(a)).length;
    const out = await a.json<{ member: string; sync: { membersRemoved: string[]; remindersRaised: number } }>('share', 'remove-member', 'carol');
    expect(out.sync).toMatchObject({ membersRemoved: ['carol'], remindersRaised: live });
    expect((await b.run('share', 'sync')).code).toBe(0);
    for (const d of [a, b]) {
      const r = await d.run('reminders');
      expect(r.stdout).toMatch(/member removed/);
    }
    const carol = await c.run('share', 'sync', '--json');
    expect(carol.code).toBe(1);
    expect(JSON.parse(carol.stdout)).toMatchObject([{ team, ok: false, error: { code: 'share-not-member' } }]);
  }, 180_000);

  it('the repository holds no secret and no name in clear (every object scanned); no output printed the remote with credentials', () => {
    const bytes = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], { cwd: bare, maxBuffer: 1 << 30 });
    for (const p of plaintexts) expect(bytes.includes(Buffer.from(p)), p).toBe(false);
  });
});
