#!/usr/bin/env -S node --
// "node --": Node reads a missing `--env-file FILE` anywhere before a "--" as its own option and exits (nodejs/node#54232),
// which would hijack `token-vault run --env-file FILE`.
// The command line is bundled by `npm run build` into out/main/cli.js next to the app's main process.
import('../out/main/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('token-vault: the command line is not built yet: run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
});
