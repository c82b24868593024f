import { describe, expect, it } from 'vitest';
import { detectLaunchMode, userArguments } from '../../src/cli/launch-mode';

const BIN = '/opt/Token Vault/token-vault';

describe('window or command line: argv as the OS, launchers and terminals pass it', () => {
  it.each([
    ['no arguments (menu, dock, double click)', [BIN], { kind: 'app' }],
    ['the AppImage runtime adds --no-sandbox', [BIN, '--no-sandbox'], { kind: 'app' }],
    ['a desktop file with Wayland switches', [BIN, '--ozone-platform-hint=auto', '--enable-features=WaylandWindowDecorations', '--enable-wayland-ime'], { kind: 'app' }],
    ['old macOS Finder adds a process serial number', ['/Applications/Token Vault.app/Contents/MacOS/Token Vault', '-psn_0_1234567'], { kind: 'app' }],
    ['a command', [BIN, 'list', '--json'], { kind: 'cli', args: ['list', '--json'] }],
    ['a command after Chromium switches', [BIN, '--no-sandbox', 'list'], { kind: 'cli', args: ['list'] }],
    ['the .deb launcher', [BIN, '--cli', '--ozone-platform=headless', '--disable-gpu', 'workspace', 'add', '--provider', 'manual'], { kind: 'cli', args: ['workspace', 'add', '--provider', 'manual'] }],
    ['the launcher with nothing else prints help', [BIN, '--cli'], { kind: 'cli', args: [] }],
    ['--help', [BIN, '--help'], { kind: 'cli', args: ['--help'] }],
    ['-h', [BIN, '-h'], { kind: 'cli', args: ['-h'] }],
    ['a global option before the command keeps its value', [BIN, '--vault', '/tmp/My Vault/v.db', '--json', 'list'], { kind: 'cli', args: ['--vault', '/tmp/My Vault/v.db', '--json', 'list'] }],
    ['--vault=PATH', [BIN, '--vault=/tmp/v.db', 'list'], { kind: 'cli', args: ['--vault=/tmp/v.db', 'list'] }],
    ['switches after the command belong to it', [BIN, 'token', 'create', 'gl', '--name', 'x', '--no-sandbox'], { kind: 'cli', args: ['token', 'create', 'gl', '--name', 'x', '--no-sandbox'] }],
    ['an unknown word through the launcher is the command line\'s usage error', [BIN, '--cli', 'frobnicate'], { kind: 'cli', args: ['frobnicate'] }],
    ['a file a file manager passes (%U) opens the window', [BIN, '/home/ann/Downloads/tokens.csv'], { kind: 'app' }],
    ['a URL passed by the desktop opens the window', [BIN, '--no-sandbox', 'https://gitlab.com/'], { kind: 'app' }],
    ['help', [BIN, 'help'], { kind: 'cli', args: ['help'] }],
    ['--vault with its value missing is the command line\'s usage error', [BIN, '--vault'], { kind: 'cli', args: ['--vault'] }],
    ['a global option makes any word the command line\'s', [BIN, '--json', 'frobnicate'], { kind: 'cli', args: ['--json', 'frobnicate'] }],
    ['an empty argument is not a command', [BIN, ''], { kind: 'app' }],
  ] as const)('%s', (_name, argv, mode) => expect(detectLaunchMode([...argv], false)).toEqual(mode));

  it('development runs (electron out/main/index.js) skip the app path, also after Playwright\'s switches', () => {
    expect(userArguments(['/x/electron', '--remote-debugging-port=0', '/repo/out/main/index.js'], true)).toEqual([]);
    expect(detectLaunchMode(['/x/electron', '--remote-debugging-port=0', '/repo/out/main/index.js'], true)).toEqual({ kind: 'app' });
    expect(detectLaunchMode(['/x/electron', '.', 'list'], true)).toEqual({ kind: 'cli', args: ['list'] });
  });
});
