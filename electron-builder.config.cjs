// electron-builder configuration: `npm run package` on a machine with internet (it downloads Electron and the
// packaging tools). better-sqlite3 13 and keytar are N-API modules: the same binaries load in Electron, so nothing
// is rebuilt (npmRebuild: false) and no install-app-deps step exists.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.tokenvault.app',
  productName: 'Token Vault',
  copyright: 'Copyright © 2026 Token Vault',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**/*', 'bin/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // Native modules cannot be loaded from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**', '**/node_modules/keytar/**', '**/*.node'],
  npmRebuild: false,
  electronFuses: {
    // SECURITY: the packaged binary cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE), cannot take
    // NODE_OPTIONS or --inspect, loads only the integrity-checked app.asar, and encrypts its cookie store.
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // Kept on: the page is loaded from file:// and its ES module scripts need it. A custom app:// protocol would
    // let this go off too.
    grantFileProtocolExtraPrivileges: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    synopsis: 'Encrypted vault and admin client for API tokens',
    maintainer: 'Token Vault <maintainers@tokenvault.dev>',
  },
  deb: { depends: ['libsecret-1-0', 'libnotify4', 'libxss1', 'libnss3'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};
