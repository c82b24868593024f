import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppFailure } from '../main/errors';
import type { ClipboardPort } from '../main/use-cases/ports';

// The system clipboard from a plain Node process, through the platform's clipboard programs, as keepassxc-cli does
// (wl-copy on Wayland, xclip on X11; here xsel too, and xclip under XWayland when wl-copy is missing).

type Command = [program: string, args: string[]];

interface ClipboardTool {
  write: Command;
  read: Command;
  /** How to empty it; without one, an empty text is written. */
  clear?: Command;
}

const TOOLS = {
  'wl-copy': { write: ['wl-copy', ['--type', 'text/plain']], read: ['wl-paste', ['--no-newline', '--type', 'text/plain']], clear: ['wl-copy', ['--clear']] },
  xclip: { write: ['xclip', ['-selection', 'clipboard', '-in']], read: ['xclip', ['-selection', 'clipboard', '-out']] },
  xsel: { write: ['xsel', ['--clipboard', '--input']], read: ['xsel', ['--clipboard', '--output']], clear: ['xsel', ['--clipboard', '--clear']] },
  pbcopy: { write: ['pbcopy', []], read: ['pbpaste', []] },
  clip: {
    write: ['powershell.exe', ['-NoProfile', '-Command', '$input | Set-Clipboard']],
    read: ['powershell.exe', ['-NoProfile', '-Command', 'Get-Clipboard -Raw']],
    clear: ['powershell.exe', ['-NoProfile', '-Command', 'Set-Clipboard -Value $null']],
  },
} satisfies Record<string, ClipboardTool>;

type ToolName = keyof typeof TOOLS;

/** The programs to try, in order, on this platform and session. */
function candidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): ToolName[] {
  if (platform === 'darwin') return ['pbcopy'];
  if (platform === 'win32') return ['clip'];
  const wayland = Boolean(env['WAYLAND_DISPLAY']);
  const x11 = Boolean(env['DISPLAY']);
  return [...(wayland ? (['wl-copy'] as const) : []), ...(x11 ? (['xclip', 'xsel'] as const) : [])];
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    try {
      if (dir) {
        accessSync(join(dir, program), constants.X_OK);
        return true;
      }
    } catch {
      /* not in this folder */
    }
  }
  return false;
}

/**
 * Runs one clipboard program: `input` on its stdin, its stdout back. Settles when the program exits, not when its pipes
 * close: xclip leaves a child behind that serves the selection and keeps the inherited pipes open.
 */
function run([program, args]: Command, env: NodeJS.ProcessEnv, input: string | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['pipe', input === null ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new AppFailure('unsupported', `${program} could not start (${(e as NodeJS.ErrnoException).code ?? e.message}).`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Let what is already buffered arrive, then let go of pipes the selection-serving child may keep open.
      setImmediate(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        if (code === 0) resolve(stdout);
        else reject(new AppFailure('unsupported', `${program} failed${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ` (exit ${code})`}.`));
      });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/**
 * The system clipboard through the first clipboard program found for this session. Fails before anything is read
 * from the vault when there is no graphical session, or no such program: saying which ones were looked for.
 */
export function systemClipboard(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): ClipboardPort & { program: string } {
  const tried = candidates(env, platform);
  if (tried.length === 0)
    throw new AppFailure('unsupported', 'There is no clipboard here: no graphical session (neither WAYLAND_DISPLAY nor DISPLAY is set).');
  const name = tried.find((t) => onPath(TOOLS[t].write[0], env) && onPath(TOOLS[t].read[0], env));
  if (!name) {
    const packages = tried.map((t) => (t === 'wl-copy' ? 'wl-clipboard' : t)).join(' or ');
    throw new AppFailure('unsupported', `No clipboard program found (looked for ${tried.join(', ')}): install ${packages}.`);
  }
  const tool: ClipboardTool = TOOLS[name];
  // Nothing on the clipboard (xclip: "target STRING not available") reads as empty.
  const read = () => run(tool.read, env, null).catch(() => '');
  return {
    program: name,
    writeText: async (text) => {
      await run(tool.write, env, text);
      // xclip, xsel and wl-copy serve the clipboard from a child they leave behind, which may take it a moment after
      // they return. Written once it reads back (at most 2 s; a clipboard that cannot be read is taken at its word):
      // "copied" is then true when said, and a Ctrl+C right after it finds the text there to clear.
      for (const end = Date.now() + 2000; Date.now() < end && (await read()) !== text; ) await new Promise((r) => setTimeout(r, 25));
    },
    // Only the clipboard: clip never puts the secret in PRIMARY, so that buffer reads as empty and is left alone.
    readText: (buffer = 'clipboard') => (buffer === 'selection' ? Promise.resolve('') : read()),
    clear: async (buffer = 'clipboard') => {
      if (buffer === 'clipboard') await run(tool.clear ?? tool.write, env, tool.clear ? null : '');
    },
  };
}
