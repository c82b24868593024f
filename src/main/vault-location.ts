import { homedir } from 'node:os';
import { join } from 'node:path';

// Beside the vault rather than in it: the shell and the command line's every start need only this, not the vault.

/** The app's user-data folder name; Electron's app.getPath('userData') resolves to the same place. */
export const APP_DIR_NAME = 'Token Vault';
export const VAULT_FILE_NAME = 'vault.db';

/**
 * Where the app keeps its data, computed without Electron so the CLI and the app agree:
 * Linux $XDG_CONFIG_HOME (or ~/.config)/Token Vault, macOS ~/Library/Application Support/Token Vault,
 * Windows %APPDATA%\Token Vault.
 */
export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), APP_DIR_NAME);
}
