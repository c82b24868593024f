import { detectLaunchMode } from '../cli/launch-mode';
import { nameTheApp } from '../main/shell/app-start';
import { runCommandLineMode } from '../main/shell/command-line-mode';
import { startDesktopApp } from '../main/shell/desktop-app';

/**
 * The app's one binary (Electron's main entry): the command line or the window. It sits above both: the command
 * line decides which arguments are its own (src/cli/launch-mode.ts), the shell runs either. Nothing imports this.
 */
nameTheApp();
const mode = detectLaunchMode(process.argv, process.defaultApp === true);
if (mode.kind === 'cli') {
  // Loaded only in this mode: a window start pays nothing for the command line.
  void runCommandLineMode(async () => (await import('../cli/index')).runCli(mode.args));
} else startDesktopApp(import.meta.url);
