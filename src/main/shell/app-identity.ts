import { COMMAND_NAME } from '../../shared/command-name';
import { APP_DIR_NAME, defaultUserDataDir } from '../vault';

/**
 * Who the app is, in one place: the name Electron shows and files its data under (package.json `productName` and
 * electron-builder's `productName` say the same, checked by test/main/shell/app-identity.test.ts), and the id that
 * Windows groups notifications and taskbar buttons by (electron-builder's `appId`, which the installer's shortcut
 * carries). Plain Node, so it is tested without Electron.
 */
export const PRODUCT_NAME = APP_DIR_NAME;
export const APP_ID = 'dev.tokenvault.app';
/** The desktop entry electron-builder installs on Linux (`${executableName}.desktop`); package.json `desktopName`. */
export const DESKTOP_FILE = `${COMMAND_NAME}.desktop`;

/**
 * The app's user-data folder: the same function the command line uses for its default vault, so the window and
 * the command line open the same file. TOKEN_VAULT_USER_DATA points end-to-end runs at a throwaway folder.
 */
export function appUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  return env['TOKEN_VAULT_USER_DATA'] || defaultUserDataDir(env, platform, home);
}
