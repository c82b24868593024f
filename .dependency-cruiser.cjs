/**
 * The direction of imports between Token Vault's layers, checked by `npm run lint` (dependency-cruiser) and tested
 * in test/lint/layer-rules.test.ts:
 *
 *   app entry (src/app) -> shell and CLI -> ipc -> use-cases -> vault / providers / reminders -> shared
 *   renderer and preload -> shared only
 *
 * A layer may import any layer below it, never one above; vault, providers and reminders are peers that do not
 * import each other; outside src/main/vault only its index.ts is imported. No cycle between files, and none between
 * folders. Type-only imports count too: a type that points upward is a dependency that points upward.
 */
const main = (folders) => `^src/main/(${folders.join('|')})`;
const ABOVE_VAULT_PEERS = ['use-cases/', 'ipc/', 'shell/', 'index\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between files: one of them belongs in another layer, or the shared part in its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders import each other: the layers are not one-way any more.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      // dependency-cruiser counts a subfolder as part of its parent, so parent <-> child loops are ruled out here.
      name: 'use-cases-subfolders-build-on-the-root',
      severity: 'error',
      comment: 'use-cases/rotation (targets, sharing...) build on the root use cases (ports, session, connection), not back.',
      from: { path: '^src/main/use-cases/[^/]+$' },
      to: { path: '^src/main/use-cases/[^/]+/' },
    },
    {
      name: 'vault-folders-below-its-face',
      severity: 'error',
      comment: 'vault.ts and index.ts compose the vault folders; the folders never import them.',
      from: { path: '^src/main/vault/[^/]+/' },
      to: { path: '^src/main/vault/[^/]+$' },
    },
    {
      name: 'http-below-the-providers',
      severity: 'error',
      comment: 'providers/http is the one HTTP client every provider uses; it knows no provider.',
      from: { path: '^src/main/providers/http/' },
      to: { path: '^src/main/providers/[^/]+$' },
    },
    {
      name: 'app-entry-is-the-top',
      severity: 'error',
      comment: 'src/app is the binary\'s entry: it starts the command line or the window, and nothing imports it.',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'shared-is-the-base',
      severity: 'error',
      comment: 'src/shared is imported by every side and imports none of them.',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|cli|renderer|preload)/' },
    },
    {
      name: 'renderer-only-shared',
      severity: 'error',
      comment: 'The renderer talks to main only through window.tokenVault; it may import src/shared.',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|cli|preload)/' },
    },
    {
      name: 'preload-only-shared',
      severity: 'error',
      comment: 'The preload builds the API from the contract in src/shared, and nothing else.',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|cli|renderer)/' },
    },
    {
      name: 'main-not-to-presenters',
      severity: 'error',
      comment: 'src/main never imports the command line, the renderer or the preload.',
      from: { path: '^src/main/' },
      to: { path: '^src/(cli|renderer|preload)/' },
    },
    {
      name: 'cli-not-to-shell',
      severity: 'error',
      comment: 'The command line is plain Node: it uses ipc, use-cases and the vault, never the Electron shell.',
      from: { path: '^src/cli/' },
      to: { path: main(['shell/', 'index\\.ts$']) },
    },
    {
      name: 'ipc-not-to-shell',
      severity: 'error',
      comment: 'The ipc side is plain Node; the shell registers it, not the other way round.',
      from: { path: main(['ipc/']) },
      to: { path: main(['shell/', 'index\\.ts$']) },
    },
    {
      name: 'use-cases-not-to-ipc',
      severity: 'error',
      comment: 'Use cases know nothing of IPC, handlers, DTO mappers or the shell.',
      from: { path: main(['use-cases/']) },
      to: { path: main(['ipc/', 'shell/', 'index\\.ts$']) },
    },
    {
      name: 'vault-providers-reminders-not-up',
      severity: 'error',
      comment: 'The vault, the providers and the reminder engine sit below the use cases.',
      from: { path: main(['vault/', 'providers/', 'reminders/', 'log/', 'errors\\.ts$']) },
      to: { path: main(ABOVE_VAULT_PEERS) },
    },
    {
      name: 'vault-peers-apart',
      severity: 'error',
      comment: 'The vault, the providers and the reminder engine are peers: the use cases combine them.',
      from: { path: main(['vault/']) },
      to: { path: main(['providers/', 'reminders/']) },
    },
    {
      name: 'providers-peers-apart',
      severity: 'error',
      comment: 'The vault, the providers and the reminder engine are peers: the use cases combine them.',
      from: { path: main(['providers/']) },
      to: { path: main(['vault/', 'reminders/']) },
    },
    {
      name: 'reminders-peers-apart',
      severity: 'error',
      comment: 'The reminder engine is pure: facts in, reminders out.',
      from: { path: main(['reminders/']) },
      to: { path: main(['vault/', 'providers/']) },
    },
    {
      name: 'base-of-main',
      severity: 'error',
      comment: 'The redacting logger and AppFailure are the base of src/main: they import only src/shared.',
      from: { path: main(['log/', 'errors\\.ts$']) },
      to: { path: '^src/main/', pathNot: main(['log/', 'errors\\.ts$']) },
    },
    {
      name: 'vault-through-its-index',
      severity: 'error',
      comment:
        'Outside src/main/vault, import the vault from src/main/vault/index.ts only (or keychain.ts, the keychain alone, for the CLI to reach before the vault loads): its folders are its own.',
      from: { path: '^src/', pathNot: '^src/main/vault/' },
      to: { path: '^src/main/vault/', pathNot: '^src/main/vault/(index|keychain)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
