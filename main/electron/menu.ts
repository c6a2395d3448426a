// The application menu: the platform's usual items through Electron's roles
// (so their shortcuts and labels are the native ones), plus the app's own
// File items. Reload and developer tools only in a checkout.

import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  mac: boolean;
  dev: boolean;
  /** File ▸ Import Run Archive…: a native open dialog, then the import. */
  importArchive(): void;
}

export function buildMenu(o: MenuOptions): Menu {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Import Run Archive…', accelerator: 'CmdOrCtrl+O', click: () => o.importArchive() },
      { type: 'separator' },
      o.mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(o.dev ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [{ role: 'about' }] };
  const template: MenuItemConstructorOptions[] = [
    ...(o.mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    ...(o.mac ? [] : [help]),
  ];
  return Menu.buildFromTemplate(template);
}
