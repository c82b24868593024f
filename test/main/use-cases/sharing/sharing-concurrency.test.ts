import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SharingEngine } from '../../../../src/main/use-cases/sharing';
import { sharingSandbox } from './sharing-fixture';

/** Two syncs at once: in one process they queue; another live process holding the share is "busy"; a dead one is not. */

const box = sharingSandbox('tv-share-conc-');
const team = 'conc';

async function founded(label: string) {
  const bare = box.bareRepo(label);
  const a = box.device(`${label}-a`);
  const ws = a.port.addWorkspace({ name: 'ws' });
  a.port.addToken(ws, { name: 't' }, 'secret');
  await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
  return { a, ws, shareId: a.port.listShares()[0]?.shareId as string };
}

describe('syncs that overlap', () => {
  it('two syncs started together in one process run one after the other, and both succeed', async () => {
    const { a, ws } = await founded('queue');
    a.port.addToken(ws, { name: 'second' }, 'second-secret');
    const [one, two] = await Promise.all([a.engine.sync(team), a.engine.sync(team)]);
    expect(one.pushed + two.pushed).toBe(1);
    expect(two.commit).toBe(one.commit);
  });

  it('a share held by another live process is busy (typed error, nothing changed); a lock left by a dead process is taken over', async () => {
    const { a, shareId } = await founded('lock');
    const lock = join(a.dataDir, shareId, 'sync.lock');
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, String(sleeper.pid));
      const before = a.port.contentSnapshot();
      await expect(a.engine.sync(team)).rejects.toMatchObject({ code: 'share-busy' });
      expect(a.port.contentSnapshot()).toBe(before);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((r) => sleeper.once('exit', r));
    // the holder is dead now (as after kill -9): the next sync takes the lock over and completes
    expect(await a.engine.sync(team)).toMatchObject({ rejected: [] });
  });

  it('a vault edit that lands while a sync runs is not overwritten: the sync starts again and both survive', async () => {
    const { a } = await founded('race');
    const b = box.device('race-b');
    await a.engine.addMember(team, 'b', b.engine.identity().identity);
    await b.engine.join({ remote: a.port.listShares()[0]?.remote as string });
    const id = Object.keys(a.port.tokens())[0] as string;
    b.port.editToken(id, { notes: 'from b' });
    await b.engine.sync(team);
    // a's sync will pull b's note into this token; the app edits the same token between read and apply
    let edited = false;
    const racing = new SharingEngine({
      port: a.port,
      dataDir: a.dataDir,
      onStep: (step) => {
        if (step === 'merged' && !edited) {
          edited = true;
          a.port.editToken(id, { description: 'typed in the app during the sync' });
        }
      },
    });
    const out = await racing.sync(team);
    expect(out.attempts).toBe(2);
    expect(a.port.token(id)?.fields).toMatchObject({ notes: 'from b', description: 'typed in the app during the sync' });
    await b.engine.sync(team);
    expect(b.port.token(id)?.fields).toMatchObject({ notes: 'from b', description: 'typed in the app during the sync' });
  });

  it('a push rejected because another member pushed first: fetch, merge again, push again (both changes land)', async () => {
    const { a, ws } = await founded('rejected');
    const b = box.device('rejected-b');
    await a.engine.addMember(team, 'b', b.engine.identity().identity);
    await b.engine.join({ remote: a.port.listShares()[0]?.remote as string });
    const mine = a.port.addToken(ws, { name: 'from-a' }, 'a-secret');
    const theirs = b.port.addToken(ws, { name: 'from-b' }, 'b-secret');
    let raced = false;
    const racing = new SharingEngine({
      port: a.port,
      dataDir: a.dataDir,
      onStep: async (step) => {
        if (step === 'committed' && !raced) {
          raced = true;
          await b.engine.sync(team); // b pushes between a's commit and a's push
        }
      },
    });
    const out = await racing.sync(team);
    expect(out.attempts).toBe(2);
    await b.engine.sync(team);
    for (const d of [a, b]) {
      expect(d.port.token(mine)?.secret).toBe('a-secret');
      expect(d.port.token(theirs)?.secret).toBe('b-secret');
    }
  });

  it('a push the remote refuses (a pre-receive hook, a protected branch) is a typed error with the remote\'s reason, and nothing local changes', async () => {
    const { a, ws } = await founded('forbidden');
    const bare = a.port.listShares()[0]?.remote as string;
    const hook = join(bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "branch main is protected" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    a.port.addToken(ws, { name: 'new' }, 'new-secret');
    const before = a.port.contentSnapshot();
    await expect(a.engine.sync(team)).rejects.toMatchObject({ code: 'remote-forbidden', message: expect.stringMatching(/pre-receive hook declined/) });
    expect(a.port.contentSnapshot()).toBe(before);
  });
});
