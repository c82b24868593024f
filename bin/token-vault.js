#!/usr/bin/env -S node --no-lazy-feedback-allocation --
// "node --": Node reads a missing `--env-file FILE` anywhere before a "--" as its own option and exits (nodejs/node#54232),
// which would hijack `token-vault run --env-file FILE`.
// --no-lazy-feedback-allocation: V8 gives a function its inline caches from its first call instead of after several.
// A command runs most of its code once or a few times, cold: `run -- true` at 10,000 tokens took 10-14 ms less CPU
// and 2-6 ms less time with it (four interleaved runs of 40-60 each, bench/run-scan.bench.ts's setting).
// The command line is bundled by `npm run build` into out/main/cli.js next to the app's main process.
//
// It runs on the project's own Node 22 (the `node` devDependency: `npx token-vault` puts it first on PATH). The
// machine's older Node must not load it: its native modules are built for Node 22 and crash on another one.
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `token-vault: needs Node 22.12 or newer, and this is Node ${process.versions.node}. From a checkout, run it as ` +
      '`npx token-vault` (npm install brought Node 22 into node_modules).\n',
  );
  process.exit(1);
}
// V8's compiled code for the bundle, kept between runs: compiling it again at every start was a fifth of a start's CPU.
// It lives in this checkout's node_modules/.cache (the trust of the code beside it, never a shared /tmp folder
// another user could write into); NODE_COMPILE_CACHE still chooses another folder, NODE_DISABLE_COMPILE_CACHE=1 none.
// Where that folder cannot be written, Node runs without it.
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../node_modules/.cache/token-vault-cli/', import.meta.url)));
import('../out/main/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('token-vault: the command line is not built yet: run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
});
