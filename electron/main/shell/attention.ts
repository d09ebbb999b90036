// The count awaiting review outside the window: the dock badge on macOS, a tray icon with the
// count in its tooltip and menu on Windows (where the taskbar has no numeric badge), the launcher
// badge on Linux where the desktop supports it (app.setBadgeCount).
import type { MenuItemConstructorOptions } from 'electron';

/** Dock badges fit a few characters. */
export function badgeLabel(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

export function reviewSummary(count: number): string {
  if (count <= 0) return 'Nothing awaiting review';
  return count === 1 ? '1 story awaiting review' : `${count} stories awaiting review`;
}

export function trayMenuTemplate(count: number, actions: { showBoard(): void; quit(): void }): MenuItemConstructorOptions[] {
  return [
    { label: reviewSummary(count), enabled: false },
    { type: 'separator' },
    { label: 'Show Hero Desk', click: () => actions.showBoard() },
    { label: 'Quit Hero Desk', click: () => actions.quit() },
  ];
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface AttentionDeps {
  platform: NodeJS.Platform;
  setDockBadge: (label: string) => void;
  setBadgeCount: (count: number) => boolean;
  createTray: () => TrayLike;
  buildMenu: (template: MenuItemConstructorOptions[]) => unknown;
  showBoard: () => void;
  quit: () => void;
}

export interface Attention {
  update(count: number): void;
  dispose(): void;
}

export function createAttention(deps: AttentionDeps): Attention {
  let tray: TrayLike | null = null;
  if (deps.platform === 'win32') {
    tray = deps.createTray();
    tray.on('click', () => deps.showBoard());
  }
  const update = (count: number): void => {
    if (deps.platform === 'darwin') deps.setDockBadge(badgeLabel(count));
    else if (deps.platform === 'linux') deps.setBadgeCount(Math.max(0, count));
    if (tray !== null) {
      tray.setToolTip(`Hero Desk: ${reviewSummary(count).toLowerCase()}`);
      tray.setContextMenu(deps.buildMenu(trayMenuTemplate(count, deps)));
    }
  };
  update(0);
  return {
    update,
    dispose() {
      tray?.destroy();
      tray = null;
    },
  };
}
