import { app } from 'electron';
import { APP_ID, PRODUCT_NAME, appUserDataDir } from './shell/app-identity';
import { runCommandLineMode } from './shell/command-line-mode';
import { startDesktopApp } from './shell/desktop-app';
import { detectLaunchMode } from './shell/launch-mode';

// Before anything reads userData (the single-instance lock does, and so does the vault): one name and one folder,
// the same folder the command line uses by default. Windows groups notifications and taskbar buttons by this id,
// which the installer's shortcut carries too.
app.setName(PRODUCT_NAME);
app.setPath('userData', appUserDataDir());
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

const mode = detectLaunchMode(process.argv, process.defaultApp === true);
if (mode.kind === 'cli') void runCommandLineMode(mode.args);
else startDesktopApp(import.meta.url);
