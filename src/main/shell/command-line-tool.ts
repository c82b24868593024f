import { lstat, mkdir, readlink, symlink, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { COMMAND_NAME } from '../../shared/command-name';

/**
 * macOS "Install Command Line Tool…": a link /usr/local/bin/COMMAND_NAME to the launcher of that name inside the app
 * bundle (Contents/Resources/bin/, which runs the app's binary in command-line mode). Plain Node: the shell only
 * shows the outcome and, when the folder needs an administrator, asks through osascript.
 */
export const COMMAND_LINK = `/usr/local/bin/${COMMAND_NAME}`;

export interface CommandLineToolPlan {
  /** The launcher script inside the bundle. */
  launcher: string;
  /** Where the link goes. */
  link: string;
}

/** From the running binary (…/Token Vault.app/Contents/MacOS/Token Vault); null outside an app bundle (development). */
export function commandLineToolPlan(execPath: string, link = COMMAND_LINK): CommandLineToolPlan | null {
  const marker = execPath.lastIndexOf('.app/Contents/MacOS/');
  if (marker < 0) return null;
  const bundle = execPath.slice(0, marker + '.app'.length);
  return { launcher: join(bundle, 'Contents', 'Resources', 'bin', COMMAND_NAME), link };
}

/** POSIX single quotes: nothing inside is special except the quote itself. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The shell command that makes the link (also what the administrator prompt runs). */
export function linkCommand(plan: CommandLineToolPlan): string {
  return `mkdir -p ${shellQuote(dirname(plan.link))} && ln -sfn ${shellQuote(plan.launcher)} ${shellQuote(plan.link)}`;
}

/** AppleScript for `osascript -e`: runs linkCommand as an administrator (macOS asks for the password). */
export function adminScript(plan: CommandLineToolPlan): string {
  const asString = `"${linkCommand(plan).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `do shell script ${asString} with administrator privileges`;
}

export type InstallOutcome = { kind: 'installed' | 'already-installed'; link: string } | { kind: 'needs-admin'; link: string; error: string };

/** Tries without privileges first (a user-writable /usr/local/bin, as with Homebrew on Intel Macs). */
export async function installCommandLineTool(plan: CommandLineToolPlan): Promise<InstallOutcome> {
  try {
    if ((await lstat(plan.link)).isSymbolicLink() && (await readlink(plan.link)) === plan.launcher) return { kind: 'already-installed', link: plan.link };
  } catch {
    // No link yet.
  }
  try {
    await mkdir(dirname(plan.link), { recursive: true });
    await unlink(plan.link).catch(() => undefined);
    await symlink(plan.launcher, plan.link);
    return { kind: 'installed', link: plan.link };
  } catch (error) {
    return { kind: 'needs-admin', link: plan.link, error: (error as NodeJS.ErrnoException).code ?? 'failed' };
  }
}
