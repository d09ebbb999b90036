// The native shell around the board: application menu, review count on the dock / tray,
// notifications that open their story, hero-desk:// links, and the window that remembers where it
// was. The decisions live in small pure modules under shell/; this file only wires them to Electron.
import { app, BrowserWindow, Menu, Notification, nativeImage, screen, shell, Tray } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CoreApi } from '../core/app/api.ts';
import type { AppUrlGuard } from './app-url.ts';
import { sendOpenArticle } from './ipc.ts';
import { createAttention, type Attention } from './shell/attention.ts';
import { menuTemplate } from './shell/menu.ts';
import { createNotifier } from './shell/notify.ts';
import { ReviewWatch } from './shell/review-watch.ts';
import { placeWindow, readWindowState, writeWindowState } from './shell/window-state.ts';
import { DEFAULT_WINDOW_SIZE, rememberWindowState } from './window.ts';
import type { Card } from '../../shared/domain.ts';

export interface ShellDeps {
  core: CoreApi;
  isAppUrl: AppUrlGuard;
  logger: Logger;
  dataDir: string;
  logFile: string;
  productName: string;
  /** Unpackaged run: developer menu items and DevTools. */
  developer: boolean;
  /** The tray icon (Windows); missing file → no tray, said in the log. */
  iconPath: string;
  createWindow: (placement: ReturnType<typeof placeWindow>) => Promise<BrowserWindow>;
  /** Adds Help → Check for Updates when updates are enabled. */
  checkForUpdates?: () => void;
}

export interface DesktopShell {
  /** Opens (or focuses) the board; resolves once it can receive messages. */
  showBoard(): Promise<BrowserWindow>;
  /** Brings the board forward with this story open (a notification click, a deep link). */
  openArticle(articleId: string | null): void;
  dispose(): void;
}

export function windowStateFile(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

export async function startDesktopShell(deps: ShellDeps): Promise<DesktopShell> {
  const stateFile = windowStateFile(deps.dataDir);
  let opening: Promise<BrowserWindow> | null = null;

  const showBoard = async (): Promise<BrowserWindow> => {
    const [existing] = BrowserWindow.getAllWindows();
    if (existing !== undefined) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    opening ??= (async () => {
      const workAreas = screen.getAllDisplays().map((display) => display.workArea);
      const window = await deps.createWindow(placeWindow(readWindowState(stateFile), workAreas, DEFAULT_WINDOW_SIZE));
      rememberWindowState(window, (state) => writeWindowState(stateFile, state));
      window.focus();
      return window;
    })().finally(() => (opening = null));
    return opening;
  };

  const openArticle = (articleId: string | null): void => {
    showBoard()
      .then((window) => {
        if (articleId !== null) sendOpenArticle(window.webContents, deps.isAppUrl, articleId);
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not open the board window'));
  };

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        appName: deps.productName,
        developer: deps.developer,
        showLogs: () => shell.showItemInFolder(deps.logFile),
        showDataFolder: () => void shell.openPath(deps.dataDir),
        ...(deps.checkForUpdates ? { checkForUpdates: deps.checkForUpdates } : {}),
      }),
    ),
  );

  let attention: Attention | null = null;
  try {
    attention = createAttention({
      platform: process.platform,
      setDockBadge: (label) => app.dock?.setBadge(label),
      setBadgeCount: (count) => app.setBadgeCount(count),
      createTray: () => {
        if (!existsSync(deps.iconPath)) throw new Error(`tray icon missing: ${deps.iconPath}`);
        return new Tray(nativeImage.createFromPath(deps.iconPath));
      },
      buildMenu: (template) => Menu.buildFromTemplate(template),
      showBoard: () => void showBoard().catch(() => undefined),
      quit: () => app.quit(),
    });
  } catch (error) {
    deps.logger.warn({ err: error }, 'no tray icon: the review count shows only in the window title');
  }

  const notifier = createNotifier({
    isSupported: () => Notification.isSupported(),
    create: (options) => new Notification(options),
    openArticle,
  });
  const watch = new ReviewWatch();
  const unsubscribe = deps.core.onEvent((event) => {
    const change = watch.apply(event);
    if (change === null) return;
    attention?.update(change.awaitingReview);
    for (const alert of change.alerts) notifier.show(alert);
  });
  // after subscribing, so nothing between the snapshot and the first event is missed
  const snapshot = await deps.core.dispatch('snapshot', {});
  const cards = snapshot.ok ? (snapshot.value as { cards?: Card[] }).cards : undefined;
  if (Array.isArray(cards)) attention?.update(watch.seed(cards));
  else deps.logger.warn({ error: snapshot.ok ? 'no cards' : snapshot.error }, 'no snapshot for the review count');

  return {
    showBoard,
    openArticle,
    dispose() {
      unsubscribe();
      attention?.dispose();
    },
  };
}
