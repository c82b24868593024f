import { GLOBAL_OPTIONS } from './cli-args';
import { commands } from './commands';

/**
 * How the app's binary was started: as the desktop app (a window), or as the `token-vault` command line (no window,
 * no single-instance lock, the same runCli as bin/token-vault.js). Plain Node, so every odd argv is tested.
 */
export type LaunchMode = { kind: 'app' } | { kind: 'cli'; args: string[] };

/** The switch the installed `token-vault` launchers pass: command line even with no other argument (prints help). */
export const CLI_SWITCH = '--cli';

const CLI_OPTION_FLAGS = new Set(
  Object.entries(GLOBAL_OPTIONS).flatMap(([name, spec]) => ['--' + name, ...('short' in spec ? ['-' + spec.short] : [])]),
);
const takesValue = (arg: string) => {
  const name = arg.replace(/^--/, '');
  return Object.hasOwn(GLOBAL_OPTIONS, name) && GLOBAL_OPTIONS[name as keyof typeof GLOBAL_OPTIONS].type === 'string';
};
const isCliOption = (arg: string) => CLI_OPTION_FLAGS.has(arg.split('=')[0] ?? arg);
const isPositional = (arg: string) => arg !== '' && !arg.startsWith('-');
/** First words of the commands (`workspace` of `workspace add`), and `help`. */
const COMMAND_WORDS = new Set([...Object.keys(commands).map((name) => name.split(' ')[0] ?? name), 'help']);

/**
 * The arguments the user (or the OS) gave, without Electron's own: a packaged app's argv is [binary, ...args]; a
 * development run (`electron out/main/index.js ...`, process.defaultApp) has the app path, possibly after Chromium
 * switches such as Playwright's --remote-debugging-port=0, before them.
 */
export function userArguments(argv: readonly string[], defaultApp: boolean): string[] {
  const rest = argv.slice(1);
  if (!defaultApp) return rest;
  const appPath = rest.findIndex(isPositional);
  return appPath < 0 ? [] : rest.slice(appPath + 1);
}

/**
 * Command line when the arguments hold --cli (the installed launchers pass it), one of the command line's global
 * options, or start with a command word. Switches before the first word that are not the command line's
 * (launchers add Chromium's: --no-sandbox from the AppImage, --ozone-platform=... and --enable-features=... from
 * desktop files, -psn_0_123 from old macOS Finder) are dropped, so `token-vault list` behaves the same however it
 * was started, and a launch with only such switches opens the window. Without --cli, a first word that is no command
 * (a file or URL a file manager passes for %U) opens the window too; with it, it is a usage error.
 */
export function detectLaunchMode(argv: readonly string[], defaultApp: boolean): LaunchMode {
  const args = userArguments(argv, defaultApp);
  const kept: string[] = [];
  let cli = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === CLI_SWITCH) {
      cli = true;
      continue;
    }
    if (isPositional(arg) || arg === '--') {
      // From the first word on, everything belongs to the command line, if it is one.
      kept.push(...args.slice(i));
      cli ||= COMMAND_WORDS.has(arg);
      break;
    }
    if (isCliOption(arg)) {
      kept.push(arg);
      cli = true;
      if (takesValue(arg) && !arg.includes('=') && i + 1 < args.length) kept.push(args[++i] ?? '');
    }
    // Anything else before the command word is a switch for Electron or Chromium, not for us.
  }
  return cli ? { kind: 'cli', args: kept } : { kind: 'app' };
}
