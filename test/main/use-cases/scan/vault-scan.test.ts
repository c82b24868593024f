import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED, ScanSession } from '../../../../src/main/use-cases/scan/scan-session';
import { linkFindings, VaultScan, type VaultScanProgress } from '../../../../src/main/use-cases/scan/vault-scan';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../../src/main/vault';
import type { ScanFinding } from '../../../../src/shared/ipc/scan-channels';

// The scan use case that the command line and the window share, over a real vault and real files.
const dir = mkdtempSync(join(tmpdir(), 'tv-vault-scan-'));
const tree = join(dir, 'tree');
const home = join(dir, 'home');
const NPM = 'npm_VaultScanStored0123456789abcdefghi';
const DOCKER = 'dckr_pat_VaultScanDocker_0123456';
const GHP = `ghp_${'Unkn0wnTk'.repeat(4)}`;
const NPM_UNKNOWN = `npm_${'Qq7'.repeat(12)}`;
let vault: Vault;
let npmId = '';
let dockerId = '';

const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

beforeAll(async () => {
  vault = await Vault.create(join(dir, 'vault.db'), { password: 'vault-scan-password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
  const ws = vault.workspaces.create({ kind: 'manual', name: 'acme' });
  npmId = vault.tokens.insert({ workspaceId: ws.id, name: 'publish', secret: NPM }).id;
  dockerId = vault.tokens.insert({ workspaceId: ws.id, name: 'docker', secret: DOCKER }).id;
  write(join(tree, 'app', '.env'), `APP=1\nNPM_TOKEN=${NPM}\nGH_TOKEN=${GHP}\n`);
  write(join(tree, 'notes.md'), `# notes\nstored: ${NPM}\nunknown: ${NPM_UNKNOWN}\n`);
  write(join(tree, 'ci', '.docker', 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from(`me:${DOCKER}`).toString('base64') } } }, null, 2));
  // Many small files, so a scan in slices has something to stop in the middle of.
  for (let i = 0; i < 400; i++) write(join(tree, 'many', `f${i}.txt`), `line ${i}\n`);
  write(join(home, '.npmrc'), `//registry.npmjs.org/:_authToken=${NPM}\n`);
});
afterAll(() => {
  vault.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('VaultScan', () => {
  it('finds stored secrets (by token, never the secret) and likely unknown tokens; whole or in slices alike', async () => {
    const whole = new VaultScan(vault).run([{ path: tree }, { path: join(home, '.npmrc'), optional: true }, { path: join(home, '.netrc'), optional: true }]);
    expect(whole.found.map((f) => [f.file.slice(dir.length + 1), f.line, f.reference, f.encoding])).toEqual([
      ['home/.npmrc', 1, 'tv://acme/publish', 'exact'],
      ['tree/app/.env', 2, 'tv://acme/publish', 'exact'],
      ['tree/ci/.docker/config.json', 4, 'tv://acme/docker', 'base64'],
      ['tree/notes.md', 2, 'tv://acme/publish', 'exact'],
    ]);
    expect(whole.unknown.map((u) => [u.file.slice(dir.length + 1), u.line, u.prefix, u.length])).toEqual([
      ['tree/app/.env', 3, 'ghp_', GHP.length],
      ['tree/notes.md', 3, 'npm_', NPM_UNKNOWN.length],
    ]);
    expect(whole.filesScanned).toBe(404);
    for (const secret of [NPM, DOCKER, GHP, NPM_UNKNOWN]) expect(JSON.stringify(whole)).not.toContain(secret);

    const progress: VaultScanProgress[] = [];
    const sliced = await new VaultScan(vault).runInSlices([{ path: tree }, { path: join(home, '.npmrc'), optional: true }, { path: join(home, '.netrc'), optional: true }], {
      sliceMs: 0,
      onProgress: (p) => progress.push(p),
    });
    expect(sliced).toEqual({ ...whole, cancelled: false });
    // With no time per slice, every file is its own slice: progress climbs one file at a time.
    expect(progress.length).toBeGreaterThan(100);
    expect(progress.map((p) => p.filesScanned)).toEqual([...progress.map((p) => p.filesScanned)].sort((a, b) => a - b));
  });

  it('stops between two files when the signal aborts, with what it found until then', async () => {
    const controller = new AbortController();
    let seen = 0;
    const r = await new VaultScan(vault).runInSlices([{ path: tree }], {
      sliceMs: 0,
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 10) controller.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.filesScanned).toBe(10);
  });

  it('links places of a known format as targets (once), and says which files it cannot write', async () => {
    const { found } = new VaultScan(vault).run([{ path: tree }]);
    const outcomes = await linkFindings(vault, found, 'test');
    expect(outcomes.map((o) => (o.status === 'linked' ? `${o.target.format} ${o.target.key}${o.target.user ? ` ${o.target.user}` : ''}` : o.status))).toEqual([
      'dotenv NPM_TOKEN',
      'docker ghcr.io me',
      'unknown-format',
    ]);
    const again = await linkFindings(vault, found, 'test');
    expect(again.map((o) => (o.status === 'linked' ? o.targetId : o.status))).toEqual(outcomes.map((o) => (o.status === 'linked' ? o.targetId : o.status)));
    expect(vault.targets.list(npmId)).toHaveLength(1);
    expect(vault.targets.list(dockerId)).toHaveLength(1);
  });

  it('a file of the folder swapped for a symlink while the scan runs is not followed (outside file, FIFO)', async () => {
    const folder = join(dir, 'swapped');
    const outside = join(dir, 'outside-creds');
    const fifo = join(dir, 'outside-fifo');
    write(outside, `token: ${NPM_UNKNOWN}\n`);
    execFileSync('mkfifo', [fifo]);
    for (let i = 0; i < 10; i++) write(join(folder, `f${i}.txt`), 'nothing here\n');
    // A writer waiting in its open of the FIFO: any open of it, even non-blocking, lets it go on.
    const writer = spawn('sh', ['-c', `printf x > '${fifo}'`], { stdio: 'ignore' });
    let swapped = false;
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The folder is listed and its first file read; then every file in it becomes a link out of it.
      const r = await new VaultScan(vault).runInSlices([{ path: folder }], {
        sliceMs: 0,
        onProgress: () => {
          if (swapped) return;
          swapped = true;
          readdirSync(folder).forEach((name, i) => {
            rmSync(join(folder, name));
            symlinkSync(i % 2 ? outside : fifo, join(folder, name));
          });
        },
      });
      expect(swapped).toBe(true);
      expect(r.unknown).toEqual([]);
      expect(r.skipped).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([writer.exitCode, writer.signalCode], 'the FIFO was opened').toEqual([null, null]);
    } finally {
      writer.kill();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('VaultScan: folders swapped while it runs', () => {
  // The window's scan yields between files, so a folder listed as a folder can be a link by the time the walk gets to
  // it, or an ancestor of the file it reads next.
  const outsideDir = join(dir, 'outside-dir');
  beforeAll(() => {
    for (let i = 0; i < 10; i++) write(join(outsideDir, `f${i}.txt`), `token: ${NPM_UNKNOWN}\n`);
  });
  const swapDuring = async (folder: string, swap: string, more: string[] = []) => {
    let swapped = false;
    const r = await new VaultScan(vault).runInSlices([{ path: folder }, ...more.map((path) => ({ path }))], {
      sliceMs: 0,
      onProgress: () => {
        if (swapped) return;
        swapped = true;
        rmSync(swap, { recursive: true });
        symlinkSync(outsideDir, swap);
      },
    });
    expect(swapped).toBe(true);
    return r;
  };

  it('a folder not yet listed, swapped for a link out of the tree, is not walked: it is reported as a link outside', async () => {
    const folder = join(dir, 'folder-swap');
    write(join(folder, 'a.txt'), 'nothing here\n');
    for (let i = 0; i < 10; i++) write(join(folder, 'sub', `f${i}.txt`), 'nothing here\n');
    try {
      const r = await swapDuring(folder, join(folder, 'sub'));
      expect(r.unknown).toEqual([]);
      expect(r.skipped).toEqual([{ path: join(folder, 'sub'), reason: 'symlink-outside' }]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a second folder to scan, swapped for a link out of the tree while the first is walked, is not walked either', async () => {
    const first = join(dir, 'first-root');
    const second = join(dir, 'second-root');
    for (let i = 0; i < 10; i++) write(join(first, `f${i}.txt`), 'nothing here\n');
    write(join(second, 'a.txt'), 'nothing here\n');
    try {
      const r = await swapDuring(first, second, [second]);
      expect(r.unknown).toEqual([]);
      expect(r.skipped).toEqual([{ path: second, reason: 'symlink-outside' }]);
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('a folder swapped for a link out of the tree while its files are being read: none is read through the link', async () => {
    const folder = join(dir, 'ancestor-swap');
    for (let i = 0; i < 10; i++) write(join(folder, 'sub', `f${i}.txt`), 'nothing here\n');
    try {
      const r = await swapDuring(folder, join(folder, 'sub'));
      expect(r.unknown).toEqual([]);
      expect(r.skipped.length).toBeGreaterThan(0);
      expect(new Set(r.skipped.map((k) => k.reason))).toEqual(new Set(['symlink-outside']));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('ScanSession (the window)', () => {
  const progress: unknown[] = [];
  const session = new ScanSession({ home, onProgress: (p) => progress.push(p) });

  it('adds an unknown token to the vault from its file, links the file, and the answer holds no secret', async () => {
    const { folderId } = session.chooseFolder(join(tree, 'app'));
    const r = await session.start(vault, { folderId, homeFiles: true });
    expect(r.cancelled).toBe(false);
    const stored = r.findings.filter((f) => f.kind === 'stored');
    // The .env's place was linked above; the home .npmrc is not yet.
    expect(stored.map((f) => [f.file.slice(dir.length + 1), f.linked, f.target?.key])).toEqual([
      ['home/.npmrc', false, '//registry.npmjs.org/'],
      ['tree/app/.env', true, 'NPM_TOKEN'],
    ]);
    const unknown = r.findings.find((f): f is Extract<ScanFinding, { kind: 'unknown' }> => f.kind === 'unknown');
    expect(unknown).toMatchObject({ line: 3, prefix: 'ghp_', length: GHP.length, suggestedName: 'GH_TOKEN', target: { format: 'dotenv', key: 'GH_TOKEN' } });
    expect(JSON.stringify(r)).not.toContain(GHP);
    expect(JSON.stringify(r)).not.toContain(NPM);

    const ws = vault.workspaces.findByName('acme');
    const added = await session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws?.id ?? '', name: 'GH_TOKEN', linkAsTarget: true });
    expect(vault.tokens.readSecret(added.tokenId)).toBe(GHP);
    expect(added.finding).toMatchObject({ kind: 'stored', id: unknown?.id, reference: 'tv://acme/GH_TOKEN', linked: true, target: { format: 'dotenv', key: 'GH_TOKEN' } });
    expect(vault.targets.list(added.tokenId).map((t) => t.spec)).toEqual([{ kind: 'dotenv', path: join(tree, 'app', '.env'), key: 'GH_TOKEN' }]);
    expect(JSON.stringify(added)).not.toContain(GHP);
    // Adding it twice is refused: it is a stored token's place now.
    await expect(session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws?.id ?? '', name: 'again' })).rejects.toMatchObject({ code: 'already-exists' });

    const home = stored[0] as Extract<ScanFinding, { kind: 'stored' }>;
    expect(await session.addTarget(vault, home.id)).toMatchObject({ linked: true });
    expect(vault.targets.list(npmId).map((t) => t.spec.kind).sort()).toEqual(['dotenv', 'npmrc']);
  });

  it('refuses a token the file no longer holds where it was found; a lock forgets findings and folders', async () => {
    const file = join(tree, 'notes.md');
    const { folderId } = session.chooseFolder(tree);
    const r = await session.start(vault, { folderId });
    const unknown = r.findings.find((f) => f.kind === 'unknown' && f.file === file);
    expect(unknown?.id).toBeDefined();
    const ws = vault.workspaces.findByName('acme')?.id ?? '';
    const before = readFileSync(file, 'utf8');
    // Moved one line down: the scan's place is stale, so nothing is guessed.
    writeFileSync(file, `\n${before}`);
    await expect(session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws, name: 'moved' })).rejects.toMatchObject({ code: 'file-changed' });
    // A shorter token in its place: not the one the window showed either.
    writeFileSync(file, before.replace(NPM_UNKNOWN, `npm_${'Qq7'.repeat(11)}`));
    await expect(session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws, name: 'shorter' })).rejects.toMatchObject({ code: 'file-changed' });
    writeFileSync(file, before);
    expect(vault.tokens.list().some((t) => t.name === 'moved' || t.name === 'shorter')).toBe(false);

    session.forget();
    await expect(session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws, name: 'after-lock' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(session.start(vault, { folderId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a file swapped for a FIFO after the scan is refused at once, never waited on (main would hang)', async () => {
    const file = join(tree, 'notes.md');
    const { folderId } = session.chooseFolder(tree);
    const r = await session.start(vault, { folderId });
    const unknown = r.findings.find((f) => f.kind === 'unknown' && f.file === file);
    const stored = r.findings.find((f) => f.kind === 'stored' && f.file === file);
    const before = readFileSync(file, 'utf8');
    rmSync(file);
    execFileSync('mkfifo', [file]);
    // Before the fix, opening the FIFO blocked this thread until a writer came: one comes every 3 s, so a blocked
    // open ends and the test measures how long it waited rather than hanging the run.
    const writer = spawn('sh', ['-c', `while sleep 3; do : > '${file}'; done`], { stdio: 'ignore' });
    try {
      const ws = vault.workspaces.findByName('acme')?.id ?? '';
      const t0 = performance.now();
      await expect(session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws, name: 'from-fifo' })).rejects.toMatchObject({ code: 'file-changed' });
      await expect(session.addTarget(vault, stored?.id ?? '')).rejects.toMatchObject({ code: 'unsupported' });
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(vault.tokens.list().some((t) => t.name === 'from-fifo')).toBe(false);
    } finally {
      writer.kill();
      rmSync(file);
      writeFileSync(file, before);
    }
  });

  it('adds a token only from the file the scan read: a link or another file put in its place since is refused, a FIFO or device there is never opened', async () => {
    const file = join(tree, 'notes.md');
    const { folderId } = session.chooseFolder(tree);
    const r = await session.start(vault, { folderId });
    const unknown = r.findings.find((f) => f.kind === 'unknown' && f.file === file);
    const stored = r.findings.find((f) => f.kind === 'stored' && f.file === file);
    expect(unknown?.id).toBeDefined();
    const ws = vault.workspaces.findByName('acme')?.id ?? '';
    const before = readFileSync(file, 'utf8');
    const add = (name: string) => session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws, name });
    try {
      // The same text, elsewhere (a file outside the folder), linked in: the offset and prefix match, the file does not.
      const elsewhere = join(dir, 'elsewhere.md');
      writeFileSync(elsewhere, before);
      rmSync(file);
      symlinkSync(elsewhere, file);
      await expect(add('through-link')).rejects.toMatchObject({ code: 'file-changed' });
      // The same text renamed over it (a new file): scan again.
      rmSync(file);
      writeFileSync(`${file}.new`, before);
      renameSync(`${file}.new`, file);
      await expect(add('renamed-over')).rejects.toMatchObject({ code: 'file-changed' });
      // A FIFO with a writer waiting in its open: opening the FIFO at all (even non-blocking) would let it go on.
      rmSync(file);
      execFileSync('mkfifo', [file]);
      const writer = spawn('sh', ['-c', `printf x > '${file}'`], { stdio: 'ignore' });
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await expect(add('from-fifo')).rejects.toMatchObject({ code: 'file-changed' });
        // Linking a stored secret's place reads it again too: the same look first.
        await expect(session.addTarget(vault, stored?.id ?? '')).rejects.toMatchObject({ code: 'unsupported' });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Let go, the writer writes and ends (or dies of SIGPIPE, the reader gone again).
        expect([writer.exitCode, writer.signalCode], 'the FIFO was opened').toEqual([null, null]);
      } finally {
        writer.kill();
      }
      expect(vault.tokens.list().some((t) => ['through-link', 'renamed-over', 'from-fifo'].includes(t.name))).toBe(false);
    } finally {
      rmSync(file, { force: true });
      writeFileSync(file, before);
    }
    // The file itself, edited in place since (the same file): still the token it holds where it was found.
    const fresh = await session.start(vault, { folderId });
    const again = fresh.findings.find((f) => f.kind === 'unknown' && f.file === file);
    writeFileSync(file, before);
    const added = await session.addToVault(vault, { findingId: again?.id ?? '', workspaceId: ws, name: 'in-place' });
    expect(vault.tokens.readSecret(added.tokenId)).toBe(NPM_UNKNOWN);
    vault.tokens.remove(added.tokenId);
  });

  it('a second scan stops the first, which leaves no findings; past MAX_LISTED findings are counted, not listed', async () => {
    const crowded = join(dir, 'crowded');
    const many = Array.from({ length: MAX_LISTED + 5 }, (_, i) => `npm_${String(i).padStart(36, 'A')}`);
    write(join(crowded, 'dump.txt'), many.join('\n'));
    const first = session.start(vault, { folderId: session.chooseFolder(tree).folderId });
    const second = session.start(vault, { folderId: session.chooseFolder(crowded).folderId });
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ cancelled: true, findings: [], unlisted: 0 });
    expect(b.cancelled).toBe(false);
    expect(b.findings).toHaveLength(MAX_LISTED);
    expect(b.unlisted).toBe(5);
  });
});

describe('a secret or a likely token in a file\'s name', () => {
  const named = join(dir, 'named');
  const GHP_NAME = `ghp_${'NamedFi1e'.repeat(4)}`;
  const inNames = [NPM, Buffer.from(NPM).toString('base64url'), GHP_NAME];
  beforeAll(() => {
    write(join(named, `${NPM}.env`), `NPM_TOKEN=${NPM}\n`);
    write(join(named, Buffer.from(NPM).toString('base64url'), 'notes.txt'), `stored: ${NPM}\n`);
    write(join(named, `${GHP_NAME}.txt`), `TOKEN=${NPM_UNKNOWN}\n`);
    write(join(named, `big-${GHP_NAME}.log`), 'x'.repeat(5 * 1024 * 1024 + 1));
  });

  it('is concealed wherever the path is shown, and the finding still acts on the real file', async () => {
    const scan = new VaultScan(vault);
    expect(scan.conceal(`/home/me/${NPM}/é.env`)).toBe('/home/me/<concealed by token-vault>/é.env');
    expect(scan.conceal(`/x/${GHP_NAME}-and-${NPM}`)).toBe('/x/<concealed by token-vault>-and-<concealed by token-vault>');
    expect(scan.conceal('/home/me/project/.env')).toBe('/home/me/project/.env');

    const session = new ScanSession({ home, onProgress: () => undefined });
    const { folderId } = session.chooseFolder(named);
    const r = await session.start(vault, { folderId });
    // The base64 form is searched by its stable middle (an encoded secret's ends depend on what comes before it), so
    // a character or two at its end may stay: never the secret's form whole.
    expect(r.findings.map((f) => [f.kind, f.file.slice(named.length + 1).replace(/^(<concealed by token-vault>)[\w-]{0,2}\//, '$1/')]).sort()).toEqual([
      ['stored', '<concealed by token-vault>.env'],
      ['stored', '<concealed by token-vault>/notes.txt'],
      ['unknown', '<concealed by token-vault>.txt'],
    ]);
    expect(r.skipped.map((s) => s.path.slice(named.length + 1))).toEqual(['big-<concealed by token-vault>.log']);
    for (const text of inNames) expect(JSON.stringify(r)).not.toContain(text);

    const env = r.findings.find((f) => f.kind === 'stored' && f.file.endsWith('.env'));
    const linked = await session.addTarget(vault, env?.id ?? '');
    expect(linked).toMatchObject({ linked: true, file: env?.file });
    expect(vault.targets.list(npmId).map((t) => t.spec)).toContainEqual({ kind: 'dotenv', path: join(named, `${NPM}.env`), key: 'NPM_TOKEN' });
    for (const text of inNames) expect(JSON.stringify(linked)).not.toContain(text);

    const unknown = r.findings.find((f) => f.kind === 'unknown');
    const ws = vault.workspaces.findByName('acme');
    const added = await session.addToVault(vault, { findingId: unknown?.id ?? '', workspaceId: ws?.id ?? '', name: 'from-a-named-file' });
    expect(vault.tokens.readSecret(added.tokenId)).toBe(NPM_UNKNOWN);
    for (const text of inNames) expect(JSON.stringify(added)).not.toContain(text);
  });
});
