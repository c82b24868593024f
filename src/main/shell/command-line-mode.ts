import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';

/**
 * The packaged app's binary as the `token-vault` command (the RunAsNode fuse is off, so it cannot run
 * bin/token-vault.js as plain Node): the same runCli, no window, no single-instance lock (it works beside an open
 * window, as the npm command does). Chromium's own profile goes to a throwaway folder so it never touches the
 * running app's.
 */
export async function runCommandLineMode(args: string[]): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'token-vault-cli-'));
  app.setPath('sessionData', scratch);
  app.setPath('crashDumps', join(scratch, 'crashes'));
  app.disableHardwareAcceleration();
  app.dock?.hide();
  let code = 1;
  try {
    const { runCli } = await import('../../cli/index');
    code = await runCli(args);
  } catch (error) {
    process.stderr.write(`token-vault: unexpected failure (${(error as Error)?.name ?? 'error'}).\n`);
  } finally {
    // Pipes are asynchronous on macOS: let them drain before the process ends, or `token-vault list | jq` loses output.
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    rmSync(scratch, { recursive: true, force: true });
    app.exit(code);
  }
}

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
