/**
 * The application menu as plain data (tested under Node); the shell turns `action` into a click handler.
 * macOS needs an app menu and the Edit roles (without them Cmd+C / Cmd+V do nothing in the page); it also gets
 * "Install Command Line Tool…", as VS Code has. Windows and Linux hide the menu bar; their Edit shortcuts work
 * without one.
 */
export type MenuAction = 'install-command-line-tool' | 'show-window';

export interface MenuItemSpec {
  label?: string;
  role?: 'about' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'minimize' | 'zoom' | 'close' | 'front' | 'reload' | 'toggleDevTools' | 'appMenu' | 'editMenu' | 'windowMenu';
  type?: 'separator';
  action?: MenuAction;
  submenu?: MenuItemSpec[];
}

export const INSTALL_CLI_LABEL = 'Install Command Line Tool…';

export function appMenuTemplate(platform: NodeJS.Platform, options: { productName: string; isPackaged: boolean }): MenuItemSpec[] | null {
  const develop: MenuItemSpec[] = options.isPackaged ? [] : [{ label: 'Develop', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] }];
  if (platform !== 'darwin') return options.isPackaged ? null : develop;
  return [
    {
      label: options.productName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { label: INSTALL_CLI_LABEL, action: 'install-command-line-tool' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }, { type: 'separator' }, { label: `Show ${options.productName}`, action: 'show-window' }, { role: 'front' }] },
    ...develop,
  ];
}
