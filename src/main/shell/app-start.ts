import { app } from 'electron';
import { APP_ID, PRODUCT_NAME, appUserDataDir } from './app-identity';

/**
 * Before anything reads userData (the single-instance lock does, and so does the vault): one name and one folder,
 * the same folder the command line uses by default. Windows groups notifications and taskbar buttons by this id,
 * which the installer's shortcut carries too. Both modes of the binary (window and command line) start here.
 */
export function nameTheApp(): void {
  app.setName(PRODUCT_NAME);
  app.setPath('userData', appUserDataDir());
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
}
