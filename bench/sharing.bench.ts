/**
 * Sharing over git, issue 14 (run: npx vitest run --config vitest.bench.config.ts bench/sharing.bench.ts).
 * BENCH_SHARE_TOKENS (default 10000) tokens in 20 workspaces; remotes are bare repositories reached through file://
 * (git's own pack protocol over a pipe, no hard-link shortcut), the same for us and for the peer.
 *
 * Peers, measured in the same run on a repository with the same number of files of the same sizes (random bytes):
 * - first push: plain `git push` of that repository (committed already), and `git add` + `commit` + `push` from files;
 * - join: plain `git clone` (with its checkout, as anyone would run it);
 * - one changed token: a plain `git pull` (nothing new) + `git push` of one changed file (its commit included).
 * The local store behind the sharing port is the in-memory stand-in, so the figures are the engine and git; the
 * vault's own cost of writing 10,000 rows is measured in vault.bench.ts.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { SharingEngine } from '../src/main/use-cases/sharing';
import { FileSharingPort } from '../test/main/use-cases/sharing/file-sharing-port';
import { median, recordBench } from './record';

const N = Number(process.env['BENCH_SHARE_TOKENS'] ?? 10_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const DAY = 86_400_000;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const ms = (t0: number) => performance.now() - t0;
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], { cwd, maxBuffer: 1 << 30 });

function timeGit(cwd: string, ...args: string[]): number {
  const t = performance.now();
  git(cwd, ...args);
  return ms(t);
}

function fillStore(port: FileSharingPort): string[] {
  const now = Date.now();
  const workspaces = Array.from({ length: 20 }, (_, w) => port.addWorkspace({ name: `workspace-${w}`, kind: 'gitlab', baseUrl: `https://gitlab-${w}.example.com` }, `glpat-admin-${w}-${'a'.repeat(20)}`));
  for (const [w, ws] of workspaces.entries()) {
    const per = Math.ceil(N / workspaces.length);
    port.addTokens(
      ws,
      Array.from({ length: Math.min(per, N - w * per) }, (_, j) => {
        const i = w * per + j;
        return {
          fields: {
            name: `service-${i % 997}-token-${i}`,
            notes: i % 7 === 0 ? 'rotated by ops after the incident review' : null,
            url: `https://gitlab-${w}.example.com/-/profile/personal_access_tokens`,
            scopes: ['api', 'read_repository'],
            prefix: 'glpat-',
            createdAt: new Date(now - (i % 700) * DAY).toISOString(),
            expiresAt: i % 5 === 0 ? null : new Date(now + ((i % 400) - 20) * DAY).toISOString(),
          },
          secret: `glpat-${i.toString(36)}-${'x'.repeat(20)}`,
        };
      }),
    );
  }
  return workspaces;
}

/** A plain repository with files of exactly the sizes our repository has, at the same depth. */
function peerRepository(root: string, sizes: { path: string; size: number }[]): { work: string; bare: string } {
  const work = join(root, 'peer-work');
  mkdirSync(work, { recursive: true });
  git(work, 'init', '--quiet', '--initial-branch=main');
  for (const { path, size } of sizes) {
    const p = join(work, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, randomBytes(size));
  }
  const bare = join(root, 'peer.git');
  return { work, bare };
}

it(`shares ${N} tokens: first push, join, one changed token, against plain git`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'tv-bench-share-'));
  try {
    const rows: Record<string, unknown>[] = [];
    const ours: Record<string, number[]> = { init: [], addMember: [], join: [], changePush: [], changePull: [] };
    const peer: Record<string, number[]> = { push: [], addCommitPush: [], clone: [], pullPush: [], pullChange: [] };
    let sizes: { path: string; size: number }[] = [];

    for (let run = 0; run < RUNS; run++) {
      const dir = join(root, `run-${run}`);
      const bare = join(dir, 'share.git');
      mkdirSync(dir, { recursive: true });
      git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
      const remote = `file://${bare}`;
      const a = new FileSharingPort(null);
      const workspaces = fillStore(a);
      const alice = new SharingEngine({ port: a, dataDir: join(dir, 'alice'), deviceName: 'alice' });
      const bPort = new FileSharingPort(null);
      const bob = new SharingEngine({ port: bPort, dataDir: join(dir, 'bob'), deviceName: 'bob' });
      const bobId = bob.identity().identity;
      alice.identity();

      let t = performance.now();
      const init = await alice.init({ remote, team: 'bench', workspaceIds: workspaces });
      ours['init']?.push(ms(t));
      expect(init.pushed).toBe(N + 20);

      t = performance.now();
      await alice.addMember('bench', 'bob', bobId);
      ours['addMember']?.push(ms(t));

      t = performance.now();
      const joined = await bob.join({ remote });
      ours['join']?.push(ms(t));
      expect(joined.pulled).toBe(N + 20);

      const tokenId = Object.keys(a.tokens())[N >> 1] as string;
      a.setSecret(tokenId, 'glpat-rotated-one-token-xxxxxxxx');
      t = performance.now();
      const pushedOne = await alice.sync('bench');
      ours['changePush']?.push(ms(t));
      expect(pushedOne.pushed).toBe(1);
      t = performance.now();
      const pulledOne = await bob.sync('bench');
      ours['changePull']?.push(ms(t));
      expect(pulledOne.pulled).toBe(1);
      expect(bPort.token(tokenId)?.secret).toBe('glpat-rotated-one-token-xxxxxxxx');

      // ---- the peer: same number of files, same sizes, plain git
      if (run === 0) {
        sizes = git(bare, 'ls-tree', '-r', '-l', 'main')
          .toString()
          .trim()
          .split('\n')
          .map((l) => {
            const [meta = '', path = ''] = l.split('\t');
            return { path, size: Number(meta.trim().split(/\s+/)[3]) };
          });
      }
      const p = peerRepository(join(dir, 'peer'), sizes);
      t = performance.now();
      git(p.work, 'add', '-A');
      git(p.work, 'commit', '--quiet', '-m', 'files');
      const addCommit = ms(t);
      git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', p.bare);
      const push = timeGit(p.work, 'push', '--quiet', `file://${p.bare}`, 'main');
      peer['push']?.push(push);
      peer['addCommitPush']?.push(addCommit + push);
      const cloneDir = join(dir, 'peer-clone');
      peer['clone']?.push(timeGit(dir, 'clone', '--quiet', `file://${p.bare}`, cloneDir));
      // one changed file: pull (nothing new) + commit + push
      const one = sizes[sizes.length >> 1] as { path: string; size: number };
      writeFileSync(join(cloneDir, one.path), randomBytes(one.size));
      t = performance.now();
      git(cloneDir, 'pull', '--quiet', '--ff-only');
      git(cloneDir, 'commit', '--quiet', '-a', '-m', 'one');
      git(cloneDir, 'push', '--quiet', 'origin', 'main');
      peer['pullPush']?.push(ms(t));
      // and the other side pulling that one change
      peer['pullChange']?.push(timeGit(p.work, 'pull', '--quiet', '--ff-only', `file://${p.bare}`, 'main'));
      rmSync(dir, { recursive: true, force: true });
    }

    const m = (xs: number[] | undefined) => round(median(xs ?? []));
    const figures = {
      /** 1/5/15-minute load averages at the end: the two cores are shared, and both sides slow down alike. */
      loadAverage: loadavg().map((x) => round(x, 2)),
      tokens: N,
      files: sizes.length,
      bytes: sizes.reduce((s, f) => s + f.size, 0),
      runs: RUNS,
      firstPush: { oursMs: m(ours['init']), gitPushMs: m(peer['push']), gitAddCommitPushMs: m(peer['addCommitPush']), ratioToPush: round(m(ours['init']) / m(peer['push']), 2), ratioToAddCommitPush: round(m(ours['init']) / m(peer['addCommitPush']), 2), target: 3 },
      addMember: { oursMs: m(ours['addMember']) },
      join: { oursMs: m(ours['join']), gitCloneMs: m(peer['clone']), ratio: round(m(ours['join']) / m(peer['clone']), 2), target: 3 },
      oneChange: {
        oursPushMs: m(ours['changePush']),
        gitPullPushMs: m(peer['pullPush']),
        ratio: round(m(ours['changePush']) / m(peer['pullPush']), 2),
        oursPullMs: m(ours['changePull']),
        gitPullChangeMs: m(peer['pullChange']),
        target: 2,
      },
    };
    rows.push(
      { step: 'first push', ours: figures.firstPush.oursMs, peer: `git push ${figures.firstPush.gitPushMs} / add+commit+push ${figures.firstPush.gitAddCommitPushMs}`, ratio: `${figures.firstPush.ratioToPush} / ${figures.firstPush.ratioToAddCommitPush}`, target: 3 },
      { step: 'add member (re-encrypt all)', ours: figures.addMember.oursMs, peer: '-', ratio: '-', target: '-' },
      { step: 'join', ours: figures.join.oursMs, peer: `git clone ${figures.join.gitCloneMs}`, ratio: figures.join.ratio, target: 3 },
      { step: 'one change: sync (push side)', ours: figures.oneChange.oursPushMs, peer: `git pull + push ${figures.oneChange.gitPullPushMs}`, ratio: figures.oneChange.ratio, target: 2 },
      { step: 'one change: sync (other device)', ours: figures.oneChange.oursPullMs, peer: `git pull ${figures.oneChange.gitPullChangeMs}`, ratio: round(figures.oneChange.oursPullMs / figures.oneChange.gitPullChangeMs, 2), target: '-' },
    );
    recordBench('sharing', figures, rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 3_600_000);
