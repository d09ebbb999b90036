// The application menu: standard roles (so copy/paste, hide, minimise and full screen behave as on
// every other app), Help → Show logs, and Reload / DevTools only in unpackaged runs — an editor's
// stray Cmd+R must not reload the board, and shipped builds open no DevTools.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Unpackaged (npm start / dev): adds Reload and Toggle Developer Tools. */
  developer: boolean;
  showLogs: () => void;
  showDataFolder: () => void;
  /** Present when updates are enabled (a signed, packaged build). */
  checkForUpdates?: () => void;
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const quit: MenuItemConstructorOptions = { role: 'quit', label: `Quit ${options.appName}` };
  const updates: MenuItemConstructorOptions[] = options.checkForUpdates
    ? [{ label: 'Check for Updates…', click: options.checkForUpdates }]
    : [];
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about', label: `About ${options.appName}` },
            ...updates,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide', label: `Hide ${options.appName}` },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            quit,
          ],
        },
      ]
    : [];
  const view: MenuItemConstructorOptions[] = [
    ...(options.developer
      ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...appMenu,
    { label: 'File', submenu: mac ? [{ role: 'close' }] : [{ role: 'close' }, { type: 'separator' }, quit] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? ([{ role: 'pasteAndMatchStyle' }] as const) : []),
        { role: 'delete' },
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Show Logs', click: options.showLogs },
        { label: 'Show Data Folder', click: options.showDataFolder },
        ...(mac ? [] : updates),
      ],
    },
  ];
}
