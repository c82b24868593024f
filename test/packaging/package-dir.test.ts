import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_IMAGE_FILES } from '../../src/main/shell/desktop-images';
import { APP_ID, DESKTOP_FILE, PRODUCT_NAME } from '../../src/main/shell/app-identity';

// electron-builder, run offline the way `npm run package` runs it, against a stand-in Electron distribution: a
// folder shaped like Electron's Linux zip whose binary is a small script carrying Electron 45's fuse wire (the
// sentinel and the default fuse states), so electron-builder flips the real bytes and @electron/fuses reads them
// back. fpm is a recording stand-in (electron-builder downloads fpm; it cannot be fetched here): it keeps the
// arguments and the install scripts electron-builder hands it, which are what decides the .deb's contents.
// What the stand-ins hide: Electron's real binary (whether it starts at all) and fpm's own packing.

const require = createRequire(import.meta.url);
const config = require('../../electron-builder.config.cjs') as Record<string, unknown> & {
  deb: { depends: string[]; afterInstall: string; afterRemove: string };
  electronFuses: Record<string, boolean>;
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string; desktopName: string; version: string };
const electronVersion = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's fuse wire as shipped: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off, only-asar off, v8 snapshot off, file privileges on. */
const SHIPPED_WIRE = '10110001';

// Spaces and brackets in the paths electron-builder works in: globs must not read them as patterns.
const work = mkdtempSync(join(tmpdir(), 'tv package [x] '));
const dist = join(work, 'electron-dist');
const output = join(work, 'dist');
const fpmRecord = join(work, 'fpm');
const unpacked = join(output, 'linux-unpacked');

function makeStandInElectron(): void {
  mkdirSync(join(dist, 'resources'), { recursive: true });
  mkdirSync(join(dist, 'locales'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# Stand-in for Electron ${electronVersion}; the fuse wire follows.\n# `),
    Buffer.from(SENTINEL),
    Buffer.from([1, SHIPPED_WIRE.length]),
    Buffer.from(SHIPPED_WIRE),
    Buffer.from('\necho "stand-in Electron: $*"\n'),
  ]);
  writeFileSync(join(dist, 'electron'), binary, { mode: 0o755 });
  writeFileSync(join(dist, 'chrome-sandbox'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dist, 'LICENSE'), 'MIT (stand-in)\n');
  writeFileSync(join(dist, 'version'), electronVersion);
  writeFileSync(join(dist, 'locales', 'en-US.pak'), '');
}

/** fpm stand-in: records its argv (one per line) and the after-install / after-remove scripts, writes the package. */
function makeRecordingFpm(): string {
  mkdirSync(fpmRecord, { recursive: true });
  const script = join(work, 'fpm-stand-in.sh');
  writeFileSync(
    script,
    `#!/bin/sh
out="${fpmRecord}"
: > "$out/argv"
prev=""
for arg in "$@"; do
  printf '%s\\n' "$arg" >> "$out/argv"
  case "$prev" in
    --after-install) cp "$arg" "$out/after-install" ;;
    --after-remove) cp "$arg" "$out/after-remove" ;;
    --package) : > "$arg" ;;
  esac
  case "$arg" in *.desktop) cp "\${arg%%=*}" "$out/desktop" 2>/dev/null ;; esac
  prev="$arg"
done
`,
    { mode: 0o755 },
  );
  return script;
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

let asarFiles: string[] = [];
let readAsar: (file: string) => Buffer;
let seconds = 0;

beforeAll(async () => {
  expect(existsSync('out/main/index.js'), 'run `npm run build` first (npm test does)').toBe(true);
  makeStandInElectron();
  const fpm = makeRecordingFpm();
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/electron-builder/cli.js',
      '--config',
      'electron-builder.config.cjs',
      '--linux',
      'dir',
      'deb',
      '--x64',
      '--publish',
      'never',
      `-c.electronDist=${dist}`,
      `-c.directories.output=${output}`,
    ],
    { encoding: 'utf8', env: { ...process.env, CUSTOM_FPM_PATH: fpm, DEBUG: '' }, timeout: 120_000 },
  );
  seconds = (Date.now() - started) / 1000;
  // A figure for the report, not a target: about 10 s alone on this machine.
  console.log(`[packaging] electron-builder dir + deb: ${seconds.toFixed(1)} s`);
  if (run.status !== 0) throw new Error(`electron-builder failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const asar = (await import('@electron/asar')) as unknown as { listPackage(p: string, o: object): string[]; extractFile(p: string, f: string): Buffer };
  const archive = join(unpacked, 'resources', 'app.asar');
  asarFiles = asar.listPackage(archive, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
  readAsar = (file) => asar.extractFile(archive, file);
}, 150_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packaged app (electron-builder offline, stand-in Electron)', () => {
  it('is called Token Vault everywhere: config, package.json, the asar, the binary', () => {
    expect(config['productName']).toBe(PRODUCT_NAME);
    expect(pkg.productName).toBe(PRODUCT_NAME);
    expect(config['appId']).toBe(APP_ID);
    expect(pkg.desktopName).toBe(DESKTOP_FILE);
    const packed = JSON.parse(readAsar('package.json').toString('utf8')) as { productName: string; desktopName: string; main: string };
    expect(packed).toMatchObject({ productName: PRODUCT_NAME, desktopName: DESKTOP_FILE, main: './out/main/index.js' });
    expect(existsSync(join(unpacked, 'token-vault'))).toBe(true);
  });

  it('holds the built app in app.asar, and nothing of the sources or the dev tooling', () => {
    for (const file of ['/out/main/index.js', '/out/main/cli.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(asarFiles).toContain(file);
    expect(asarFiles.filter((f) => /^\/(src|test|scripts|build|bin)\//.test(f))).toEqual([]);
    expect(asarFiles.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(asarFiles.some((f) => f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/vite/'))).toBe(false);
    expect(asarFiles.some((f) => f.startsWith('/node_modules/@homebridge/dbus-native/'))).toBe(true);
  });

  it('unpacks the native modules outside the asar, with only this platform\'s binary and no C sources', () => {
    const native = walk(join(unpacked, 'resources', 'app.asar.unpacked')).map((f) => relative(join(unpacked, 'resources', 'app.asar.unpacked'), f));
    const nodeFiles = native.filter((f) => f.endsWith('.node')).sort();
    // node-pty: the pseudo-terminal of the command line's `run`, which the packaged app runs too (N-API, one package per platform).
    expect(nodeFiles).toEqual(['node_modules/@lydell/node-pty-linux-x64/pty.node', 'node_modules/better-sqlite3/prebuilds/linux-x64.node', 'node_modules/keytar/build/Release/keytar.node']);
    expect(native.filter((f) => /better-sqlite3\/(deps|src)\/|keytar\/src\/|\.(c|cc|cpp|h|gyp)$/.test(f))).toEqual([]);
    // Inside the asar only a stub entry may remain for an unpacked file; no foreign platform's binary anywhere.
    expect([...asarFiles, ...native].filter((f) => /(darwin|win32|linuxmusl|linux-arm64)[^/]*\.node$/.test(f))).toEqual([]);
    const size = native.reduce((sum, f) => sum + statSync(join(unpacked, 'resources', 'app.asar.unpacked', f)).size, 0);
    console.log(`[packaging] unpacked native modules: ${(size / 1e6).toFixed(1)} MB (better-sqlite3 ships 27 MB)`);
    expect(size).toBeLessThan(4e6);
  });

  it('its own files open a vault: the bundled better-sqlite3 finds its packaged binary, with nothing of this checkout', async () => {
    // The app's JavaScript as the packaged app holds it (app.asar extracted, the unpacked files in their places), run
    // by plain Node: better-sqlite3's JavaScript is bundled into the chunks and names its binary from the package's
    // folder (vault-db.ts), so this proves the packaged layout has it where that code looks. Not covered here:
    // Electron's own reading of app.asar paths (no Electron binary can run on this machine).
    const asar = (await import('@electron/asar')) as unknown as { extractAll(archive: string, dest: string): void };
    const app = join(work, 'app-files');
    asar.extractAll(join(unpacked, 'resources', 'app.asar'), app);
    const vault = join(work, 'packaged.db');
    const env = { ...process.env, TOKEN_VAULT_PASSWORD: 'packaged-password-1', NODE_PATH: '' };
    const cli = (args: string[]) => spawnSync(process.execPath, [join(app, 'out', 'main', 'cli.js'), '--vault', vault, ...args], { encoding: 'utf8', env, cwd: work });
    const init = cli(['init', '--json']);
    expect(init.status, init.stderr).toBe(0);
    const add = cli(['workspace', 'add', '--provider', 'manual', '--name', 'packaged']);
    expect(add.status, add.stderr).toBe(0);
    const list = cli(['workspace', 'list', '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'packaged' })]));
  });

  it('writes the fuses the configuration asks for, and @electron/fuses reads them back', async () => {
    const { getCurrentFuseWire, FuseV1Options } = await import('@electron/fuses');
    // The wire holds ASCII '0' / '1' per fuse (@electron/fuses' FuseState).
    const FuseState = { DISABLE: 0x30, ENABLE: 0x31 };
    const wire = (await getCurrentFuseWire(join(unpacked, 'token-vault'))) as unknown as Record<number, number>;
    const state = (on: boolean) => (on ? FuseState.ENABLE : FuseState.DISABLE);
    const fuses = config.electronFuses;
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.RunAsNode]).toBe(state(fuses['runAsNode'] ?? true));
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(state(fuses['enableCookieEncryption'] ?? false));
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(state(fuses['enableNodeOptionsEnvironmentVariable'] ?? true));
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(state(fuses['enableNodeCliInspectArguments'] ?? true));
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(state(fuses['enableEmbeddedAsarIntegrityValidation'] ?? false));
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(state(fuses['onlyLoadAppFromAsar'] ?? false));
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(state(fuses['grantFileProtocolExtraPrivileges'] ?? true));
    // macOS: writing fuses breaks Electron's ad-hoc signature; electron-builder re-signs ad hoc with this set.
    expect(fuses['resetAdHocDarwinSignature']).toBe(true);
  });

  it('ships every image the running app asks for, in both sizes, and the launchers', () => {
    const icons = join(unpacked, 'resources', 'icons');
    for (const file of RUNTIME_IMAGE_FILES) {
      expect(existsSync(join(icons, file)), file).toBe(true);
      if (file !== 'app.png') expect(existsSync(join(icons, file.replace('.png', '@2x.png'))), `${file} @2x`).toBe(true);
    }
    const launcher = join(unpacked, 'resources', 'bin', 'token-vault');
    expect(statSync(launcher).mode & 0o111, 'the launcher is executable').not.toBe(0);
    expect(readFileSync(launcher, 'utf8')).toContain('--cli');
  });

  it('the deb depends on electron-builder\'s defaults plus what better-sqlite3 needs, and links /usr/bin/token-vault to the launcher', async () => {
    const { default: FpmTarget } = (await import('app-builder-lib/out/targets/FpmTarget.js')) as unknown as { default: { prototype: { getDefaultDepends(t: string): string[] } } };
    const defaults = FpmTarget.prototype.getDefaultDepends('deb');
    expect(config.deb.depends.slice(0, defaults.length)).toEqual(defaults);
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libc6 (>= 2.34)', 'libstdc++6 (>= 11)']));
    const argv = readFileSync(join(fpmRecord, 'argv'), 'utf8').split('\n');
    const depends = argv.flatMap((a, i) => (a === '-d' ? [argv[i + 1]] : []));
    expect(depends).toEqual(config.deb.depends);
    const afterInstall = readFileSync(join(fpmRecord, 'after-install'), 'utf8');
    expect(afterInstall).toContain("update-alternatives --install '/usr/bin/token-vault' 'token-vault' '/opt/Token Vault/resources/bin/token-vault' 100");
    expect(readFileSync(join(fpmRecord, 'after-remove'), 'utf8')).toContain("update-alternatives --remove 'token-vault' '/opt/Token Vault/resources/bin/token-vault'");
    expect(argv).toContain(`${unpacked}/=/opt/Token Vault`);
  });

  it('our install scripts are electron-builder\'s own with only the link target changed', () => {
    const from = "'/opt/${sanitizedProductName}/${executable}'";
    const to = "'/opt/${sanitizedProductName}/resources/bin/${executable}'";
    for (const name of ['after-install', 'after-remove']) {
      const upstream = readFileSync(`node_modules/app-builder-lib/templates/linux/${name}.tpl`, 'utf8');
      expect(readFileSync(resolve(`build/linux/${name}.tpl`), 'utf8'), name).toBe(upstream.split(from).join(to));
    }
  });

  it('the desktop entry groups the window (StartupWMClass = desktopName) and starts the window, not the command line', () => {
    const entry = readFileSync(join(fpmRecord, 'desktop'), 'utf8');
    expect(entry).toMatch(/^Name=Token Vault$/m);
    expect(entry).toMatch(/^StartupWMClass=token-vault$/m);
    expect(entry).toMatch(/^Exec="\/opt\/Token Vault\/token-vault" %U$/m);
    expect(entry).toMatch(/^Icon=token-vault$/m);
  });
});
