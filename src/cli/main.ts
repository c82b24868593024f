import { runCli } from './index';

// Entry point of out/main/cli.js, imported by bin/token-vault.js (the app's binary calls runCli itself).
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
