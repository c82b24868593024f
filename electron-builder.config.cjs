// electron-builder configuration: `npm run package` on a machine with internet (it downloads Electron and the
// packaging tools; scripts/package.mjs says so in one sentence when it cannot). better-sqlite3 13 and keytar are
// N-API modules: the same binaries load in Electron, so nothing is rebuilt (npmRebuild: false) and no
// install-app-deps step exists. Package each platform on that platform: keytar's binary is the one npm installed.
// test/packaging/package-dir.test.ts packs this configuration offline against a stand-in Electron and checks it.

/** What electron-builder's deb depends on when `depends` is not set (FpmTarget.getDefaultDepends('deb')). Setting
 * `depends` replaces that list, so it is repeated here, and the packaging test fails if electron-builder's changes. */
const ELECTRON_BUILDER_DEB_DEPENDS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.tokenvault.app',
  productName: 'Token Vault',
  copyright: 'Copyright © 2026 Token Vault',
  directories: { output: 'dist', buildResources: 'build' },
  files: [
    'out/**/*',
    'package.json',
    '!**/*.map',
    // bin/token-vault.js is the npm command (plain Node); the packaged app runs the command line itself.
    '!bin{,/**}',
    // Sources and build files of the native modules: only their compiled .node files run.
    '!**/node_modules/better-sqlite3/{deps,src}{,/**}',
    '!**/node_modules/better-sqlite3/binding.gyp',
    '!**/node_modules/keytar/{src,build/Release/obj.target}{,/**}',
    '!**/node_modules/keytar/binding.gyp',
    '!**/node_modules/node-addon-api{,/**}',
    // Only this platform's own better-sqlite3 binary (the package ships eight, 17 MB). ${platform} is the machine
    // electron-builder runs on, which is the target: scripts/package.mjs refuses to build for another platform,
    // since keytar's binary is the one npm installed here.
    '!**/node_modules/better-sqlite3/prebuilds/!(${platform}-${arch}).node',
  ],
  // What the running app reads from disk (tray, overlay and window images) and the `token-vault` launchers.
  extraResources: [
    { from: 'build/runtime-icons', to: 'icons' },
    { from: 'build/bin/${os}', to: 'bin' },
  ],
  asar: true,
  // Native modules cannot be loaded from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**', '**/node_modules/keytar/**', '**/*.node'],
  npmRebuild: false,
  electronFuses: {
    // SECURITY: the packaged binary cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE), cannot take
    // NODE_OPTIONS or --inspect, loads only the integrity-checked app.asar, and encrypts its cookie store. The
    // `token-vault` command runs through the app's own command-line mode instead (src/cli/launch-mode.ts).
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // Kept on: the page is loaded from file:// and its ES module scripts need it. A custom app:// protocol would
    // let this go off too.
    grantFileProtocolExtraPrivileges: true,
    // Writing the fuses changes the binary and breaks Electron's own ad-hoc signature; without a Developer ID
    // nothing signs it again, and Apple Silicon refuses to run an arm64 binary with a broken signature.
    resetAdHocDarwinSignature: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'token-vault',
    icon: 'build/icons',
    category: 'Development',
    synopsis: 'Encrypted vault and admin client for API tokens',
    maintainer: 'Token Vault <maintainers@tokenvault.dev>',
    // Electron takes the window's app_id / WM_CLASS from package.json `desktopName` (token-vault.desktop); the
    // desktop entry gets the same name and StartupWMClass, so the launcher groups the window and shows its badge.
    syncDesktopName: true,
    desktop: { entry: { StartupWMClass: 'token-vault' } },
  },
  deb: {
    // better-sqlite3's Linux binary needs glibc 2.34 and GCC 11's libstdc++ (GLIBC_2.34, GLIBCXX_3.4.29).
    depends: [...ELECTRON_BUILDER_DEB_DEPENDS, 'libc6 (>= 2.34)', 'libstdc++6 (>= 11)'],
    // The default scripts, with /usr/bin/token-vault pointing at the command-line launcher instead of the window.
    afterInstall: 'build/linux/after-install.tpl',
    afterRemove: 'build/linux/after-remove.tpl',
  },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};

