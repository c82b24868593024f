import { spawn } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { SharingEngine, type SyncOutcome } from '../../../../src/main/use-cases/sharing';
import { sharingSandbox, type Device } from './sharing-fixture';

/**
 * kill -9 at every step of a sync, and kill -9 of the whole process group (git children too) at random moments:
 * the next sync completes, nothing written on either device is lost, and no false "two secrets" appears.
 */

const CHILD = join(import.meta.dirname, 'fixtures', 'sync-child.mjs');
const box = sharingSandbox('tv-share-crash-');
const team = 'crash';

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  steps: string[];
  stderr: string;
}

/**
 * Runs one sync of `device` in a child process. `crashAt`: the child SIGKILLs itself right after that step. `kill`:
 * the parent SIGKILLs the child's whole process group (git children included) `delayMs` after it reports `afterStep`,
 * so the kill lands inside fast-import, push or the store's write.
 */
function childSync(device: Device, crashAt: string, kill?: { afterStep: string; delayMs: number }): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, device.storePath, device.dataDir, device.name, team, crashAt], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const steps: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('step ')) steps.push(line.slice(5));
      if (kill && line === `step ${kill.afterStep}`)
        timer = setTimeout(() => {
          try {
            process.kill(-(child.pid as number), 'SIGKILL');
          } catch {
            // already gone
          }
        }, kill.delayMs);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, steps, stderr });
    });
  });
}

/** A fresh engine on the same store and folder: what the next process (app or CLI) would be. */
const restart = (d: Device) => new SharingEngine({ port: d.port, dataDir: d.dataDir, deviceName: d.name });

async function setUp(label: string, tokens = 3) {
  const bare = box.bareRepo(label);
  const a = await box.device(`${label}-a`);
  const b = await box.device(`${label}-b`);
  const ws = a.port.addWorkspace({ name: 'ws' });
  const ids = a.port.addTokens(ws, Array.from({ length: tokens }, (_, i) => ({ fields: { name: `t${i}` }, secret: `secret-${i}` })));
  await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
  await a.engine.addMember(team, 'b', b.engine.identity().identity);
  await b.engine.join({ remote: bare });
  return { a, b, ws, ids, bare };
}

/** Edits on both devices that must all survive: a's new token, note and secret; b's expiry on the same token. */
function editBoth(s: Awaited<ReturnType<typeof setUp>>) {
  const [t0, t1] = s.ids as [string, string];
  const fresh = s.a.port.addToken(s.ws, { name: 'made-before-the-crash' }, 'fresh-secret');
  s.a.port.editToken(t0, { notes: 'a wrote this' });
  s.a.port.setSecret(t1, 'a-rotated-secret');
  s.b.port.editToken(t0, { expiresAt: '2027-02-02T00:00:00.000Z' });
  return { t0, t1, fresh };
}

function expectConverged(s: Awaited<ReturnType<typeof setUp>>, e: ReturnType<typeof editBoth>) {
  for (const d of [s.a, s.b]) {
    expect(d.port.token(e.fresh)).toMatchObject({ secret: 'fresh-secret', secretConflict: null });
    expect(d.port.token(e.t0)?.fields).toMatchObject({ notes: 'a wrote this', expiresAt: '2027-02-02T00:00:00.000Z' });
    expect(d.port.token(e.t1)).toMatchObject({ secret: 'a-rotated-secret', secretConflict: null });
  }
}

const STEPS = ['locked', 'fetched', 'verified', 'read', 'merged', 'committed', 'pushed', 'applied'] as const;

describe('kill -9 during a sync', () => {
  it.each(STEPS)('killed right after "%s": the next sync completes and nothing is lost', async (step) => {
    const s = await setUp(`step-${step}`);
    const e = editBoth(s);
    await s.b.engine.sync(team); // b's edit is in the remote before a syncs
    const run = await childSync(s.a, step);
    expect({ signal: run.signal, last: run.steps.at(-1) }, run.stderr).toEqual({ signal: 'SIGKILL', last: step });

    const again: SyncOutcome = await restart(s.a).sync(team);
    expect(again).toMatchObject({ rejected: [], conflicts: 0 });
    await s.b.engine.sync(team);
    await restart(s.a).sync(team);
    expectConverged(s, e);
    expect((await restart(s.a).status({ team, fetch: true }))[0]).toMatchObject({ ahead: 0, behind: 0, conflicts: 0 });
  }, 60_000);

  it('the whole process group (git included) killed inside fast-import, push and the store write, five times in a row: the sixth sync completes, nothing lost', async () => {
    const s = await setUp('random', 150);
    const e = editBoth(s);
    await s.b.engine.sync(team);
    // a larger change so the kills land inside fast-import and push too: every token gets a note
    for (const id of s.ids.slice(2)) s.a.port.editToken(id, { notes: `note for ${id}` });
    const outcomes: string[] = [];
    const kills = [
      { afterStep: 'merged', delayMs: 1 },
      { afterStep: 'merged', delayMs: 25 },
      { afterStep: 'committed', delayMs: 1 },
      { afterStep: 'committed', delayMs: 15 },
      { afterStep: 'pushed', delayMs: 0 },
    ];
    for (const kill of kills) {
      const run = await childSync(s.a, '', kill);
      outcomes.push(run.signal === 'SIGKILL' ? `killed after ${run.steps.at(-1) ?? 'start'}` : `finished (${run.code})`);
    }
    const final = await restart(s.a).sync(team);
    expect(final, outcomes.join(', ')).toMatchObject({ rejected: [], conflicts: 0 });
    await s.b.engine.sync(team);
    expectConverged(s, e);
    for (const id of s.ids.slice(2)) expect(s.b.port.token(id)?.fields.notes).toBe(`note for ${id}`);
    expect(Object.keys(s.b.port.tokens()).sort()).toEqual(Object.keys(s.a.port.tokens()).sort());
  }, 180_000);
});

describe('a remote left locked by a git that died mid-push (its ref lock)', () => {
  it('a lock left unchanged past a moment is removed, and the sync completes with nothing lost', async () => {
    const s = await setUp('stale-ref-lock');
    const e = editBoth(s);
    await s.b.engine.sync(team);
    // What receive-pack leaves when it is killed between locking the branch and moving it: git itself never removes it.
    const lock = join(s.bare, 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(lock, past, past);
    const again = await restart(s.a).sync(team);
    expect(again).toMatchObject({ rejected: [], conflicts: 0 });
    expect(existsSync(lock)).toBe(false);
    await s.b.engine.sync(team);
    expectConverged(s, e);
  }, 60_000);

  it('a lock that keeps changing (a git at work) is left alone, and the sync says which file is in its way', async () => {
    const s = await setUp('live-ref-lock');
    s.a.port.editToken(s.ids[0] as string, { notes: 'behind a live lock' });
    const lock = join(s.bare, 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');
    const touching = setInterval(() => writeFileSync(lock, String(Date.now())), 200);
    try {
      await expect(restart(s.a).sync(team)).rejects.toMatchObject({ code: 'share-push-rejected', message: expect.stringContaining(`${s.bare}/./refs/heads/main.lock`) });
      expect(existsSync(lock)).toBe(true);
    } finally {
      clearInterval(touching);
      rmSync(lock, { force: true });
    }
    expect(await restart(s.a).sync(team)).toMatchObject({ rejected: [], conflicts: 0 });
  }, 90_000);
});
