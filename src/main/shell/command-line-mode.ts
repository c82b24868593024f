import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { PRODUCT_NAME } from './app-identity';

/**
 * The packaged app's binary as the command line (the RunAsNode fuse is off, so it cannot run the npm launcher as
 * plain Node): `run` is the command line's own runner (src/app passes it in), with no window and no single-instance
 * lock (it works beside an open window, as the npm command does). Chromium's own profile goes to a throwaway
 * folder so it never touches the running app's.
 */
export async function runCommandLineMode(run: () => Promise<number>): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'tv-command-line-'));
  app.setPath('sessionData', scratch);
  app.setPath('crashDumps', join(scratch, 'crashes'));
  app.disableHardwareAcceleration();
  app.dock?.hide();
  let code = 1;
  try {
    code = await run();
  } catch (error) {
    // The runner reports its own failures; this is one it could not (it did not load).
    process.stderr.write(`${PRODUCT_NAME}: the command line did not start (${(error as Error)?.name ?? 'error'}).\n`);
  } finally {
    // Pipes are asynchronous on macOS: let them drain before the process ends, or a command piped into jq loses output.
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    rmSync(scratch, { recursive: true, force: true });
    app.exit(code);
  }
}

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
