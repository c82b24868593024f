#!/usr/bin/env -S node --
// "node --": Node reads a missing `--env-file FILE` anywhere before a "--" as its own option and exits (nodejs/node#54232),
// which would hijack `token-vault run --env-file FILE`.
// The command line is bundled by `npm run build` into out/main/cli.js next to the app's main process.
//
// It runs on the project's own Node 22 (the `node` devDependency: `npx token-vault` puts it first on PATH). The
// machine's older Node must not load it: its native modules are built for Node 22 and crash on another one.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `token-vault: needs Node 22.12 or newer, and this is Node ${process.versions.node}. From a checkout, run it as ` +
      '`npx token-vault` (npm install brought Node 22 into node_modules).\n',
  );
  process.exit(1);
}
import('../out/main/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('token-vault: the command line is not built yet: run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
});
