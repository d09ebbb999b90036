// Desktop lifecycle: one instance, hardened sessions, secrets from the OS keychain, the core over
// IPC, one board window, and a quit that waits for the core to stop so the queue is left clean.
// Kept apart from index.ts so tests can drive it with a fake core (test/electron/app.test.ts).
import { app, BrowserWindow, crashReporter, dialog, protocol, safeStorage, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { SecretStore, WritableSecretStore } from '../core/adapters/types.ts';
import type { CoreApi } from '../core/app/api.ts';
import type { RunningCore, StartCoreOptions } from '../core/index.ts';
import { ensureWritableDataDir, machineFailureLine } from '../core/base/machine-errors.ts';
import { envName } from '../core/adapters/secrets.ts';
import { handleAppProtocol, registerAppScheme } from './app-protocol.ts';
import { createAppUrlGuard, resolveAppLocation } from './app-url.ts';
import { startDesktopShell, type DesktopShell } from './desktop-shell.ts';
import { NO_LOCAL_CORE, startDesktopSetup, startModeOf } from './desktop-setup.ts';
import { crashReporterOptions } from './shell/crash-reports.ts';
import { DEEP_LINK_SCHEME, deepLinkInArgv, parseDeepLink, type DeepLink } from './shell/deep-link.ts';
import { LOG_FILE_NAME } from './shell/log-file.ts';
import { installProxyDispatcher } from './shell/proxy.ts';
import { startUpdates, updateAvailability, type Updates, type UpdaterLike } from './shell/updates.ts';
import { registerIpc } from './ipc.ts';
import { createSafeStorageSecrets } from './secrets.ts';
import { contentSecurityPolicy, denyAllPermissions, hardenWebContents, installContentSecurityPolicy } from './security.ts';
import { createMainWindow, preloadPath } from './window.ts';
import { errorMessage } from '../../shared/error-message.ts';

/** What the desktop uses of a core: commands, events and a clean stop. */
export type DesktopCore = CoreApi & Pick<RunningCore, 'stop'>;

export interface DesktopDeps {
  /** The core: in a utility process (index.ts → core-process.ts), or a fake in tests. */
  startCore: (options: StartCoreOptions) => Promise<DesktopCore>;
  createLogger: (options: { json?: boolean; level?: string; destination?: string }) => Logger;
  /** Folder of the bundled main script (out/main); preload and renderer are found from it. */
  mainDir: string;
  env?: NodeJS.ProcessEnv;
  /** How long quitting waits for the core before giving up on a clean stop. */
  stopTimeoutMs?: number;
  /** The launch's command line (a hero-desk:// link on Windows/Linux); default process.argv. */
  argv?: string[];
  /** Flushes and closes the log file once the core has stopped. */
  closeLogger?: (logger: Logger) => Promise<void>;
  /** Tray icon; default: icon.png in the packaged resources, build/icon.png unpackaged. */
  iconPath?: string;
}

/** The name editors see: menus ("Quit Hero Desk"), dialogs, notifications and the data folder. */
export const PRODUCT_NAME = 'Hero Desk';

const DATA_DIR_NEXT_STEP = 'fix its permissions (or set HERO_DESK_USER_DATA to another folder), then open Hero Desk again';

/** The dialog's line: what failed, where, and what to do (the stack goes to the log). */
export function startupFailureText(error: unknown): string {
  const line = machineFailureLine(error);
  if (line === null) return errorMessage(error);
  return line.charAt(0).toUpperCase() + line.slice(1);
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** electron-updater is loaded only when updates are on (it needs a packaged app to do anything). */
async function updaterDeps(logger: Logger, prepareToQuit: () => Promise<void>): Promise<Parameters<typeof startUpdates>[0]> {
  const { default: electronUpdater } = await import('electron-updater');
  const ask = async (options: { message: string; detail?: string; buttons: string[] }): Promise<number> => {
    const [window] = BrowserWindow.getAllWindows();
    const box = { type: 'info' as const, defaultId: 0, cancelId: options.buttons.length - 1, noLink: true, ...options };
    return (window ? await dialog.showMessageBox(window, box) : await dialog.showMessageBox(box)).response;
  };
  return {
    updater: electronUpdater.autoUpdater as unknown as UpdaterLike,
    prompt: { ask, tell: async (options) => void (await ask({ ...options, buttons: ['OK'] })) },
    logger,
    currentVersion: app.getVersion(),
    prepareToQuit,
  };
}

/** Packaged: copied into resources by electron-builder.yml; unpackaged: the source tree's. */
function trayIconPath(mainDir: string): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return app.isPackaged && resources ? join(resources, 'icon.png') : join(mainDir, '../../build/icon.png');
}

/** Bad crash-report settings must not stop the app: reports then stay local, and the log says why. */
function startCrashReporter(env: NodeJS.ProcessEnv): string | null {
  try {
    crashReporter.start(crashReporterOptions(env, PRODUCT_NAME));
    return null;
  } catch (error) {
    crashReporter.start(crashReporterOptions({}, PRODUCT_NAME));
    return errorMessage(error);
  }
}

export async function runDesktopApp(deps: DesktopDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const argv = deps.argv ?? process.argv;
  app.setName(PRODUCT_NAME);
  // Named after the product on every OS, whatever package.json says; HERO_DESK_USER_DATA gives a
  // per-run profile (e2e tests, a second newsroom desk). Must be set before the lock and ready.
  app.setPath('userData', env['HERO_DESK_USER_DATA'] || join(app.getPath('appData'), PRODUCT_NAME));
  app.enableSandbox(); // every renderer, including any we forget to configure
  registerAppScheme(protocol); // privileged schemes must be registered before ready
  const crashWarning = startCrashReporter(env); // as early as possible, to catch start-up crashes too
  const dataDir = app.getPath('userData');
  try {
    // before the single-instance lock, which lives in this folder and fails silently without it
    ensureWritableDataDir(dataDir, DATA_DIR_NEXT_STEP);
  } catch (error) {
    await app.whenReady(); // on Linux a dialog before ready only reaches stderr
    dialog.showErrorBox('Hero Desk could not start', startupFailureText(error));
    app.quit();
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit(); // the running instance is focused through its second-instance handler
    return;
  }

  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const logFile = join(dataDir, 'logs', LOG_FILE_NAME);
  const logger = deps.createLogger({ json: true, level: env['HERO_DESK_LOG_LEVEL'] ?? 'info', destination: logFile });
  if (crashWarning !== null) logger.warn({ reason: crashWarning }, 'crash reports stay on this computer');
  const location = resolveAppLocation(deps.mainDir, app.isPackaged, env);
  const isAppUrl = createAppUrlGuard(location);
  const { mode, deskSources } = startModeOf(dataDir, env); // first run, solo, or a newsroom desk (first-run.ts)

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { isAppUrl, openExternal: (url) => shell.openExternal(url), logger }),
  );

  let core: DesktopCore | null = null;
  let disposeIpc: (() => void) | null = null;
  let disposeSetup: (() => void) | null = null;
  let desktopShell: DesktopShell | null = null;
  let updates: Updates | null = null;

  // hero-desk://article/ID: macOS sends open-url (registered before ready, or the launch's link is
  // lost); Windows and Linux start a second instance whose argv carries it (or this one's, at launch).
  let pendingArticle: string | null = null;
  const follow = (link: DeepLink | null): void => {
    if (link === null) return;
    if (desktopShell === null) pendingArticle = link.articleId;
    else desktopShell.openArticle(link.articleId);
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    follow(parseDeepLink(url));
  });
  follow(deepLinkInArgv(argv));
  // Only installed builds claim the scheme: a dev run would point the OS at the bare Electron binary.
  if (app.isPackaged && !app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)) logger.warn('could not register hero-desk:// links');

  app.on('second-instance', (_event, secondArgv: string[] = []) => {
    const link = deepLinkInArgv(secondArgv);
    if (link !== null) follow(link);
    else desktopShell?.showBoard().catch(() => undefined);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const startup = (async () => {
    await app.whenReady();
    // before the core's first request: its fetch calls follow the OS proxy settings from here on
    const proxy = installProxyDispatcher(env, {
      resolveProxy: (url) => session.defaultSession.resolveProxy(url),
      onError: (error, origin) => logger.warn({ err: error, origin }, 'proxy lookup failed; connecting directly'),
    });
    logger.info({ proxy }, 'proxy settings');
    denyAllPermissions(session.defaultSession, logger);
    installContentSecurityPolicy(session.defaultSession, isAppUrl, location.devServerUrl !== null, deskSources);
    handleAppProtocol(protocol, location.rendererDir, contentSecurityPolicy(false, deskSources));
    disposeSetup = await startDesktopSetup({ dataDir, env, mode, isAppUrl, mainDir: deps.mainDir, logger });
    const secrets = await createSafeStorageSecrets({ filePath: join(dataDir, 'secrets.enc.json') }, { safeStorage });
    if (!secrets.encryptionAvailable) logger.warn('OS secret encryption unavailable: API keys cannot be read or saved');
    if (secrets.unreadable.length > 0) logger.warn({ names: secrets.unreadable }, 'some stored secrets could not be decrypted');
    // The keychain wins; HERO_DESK_SECRET_<NAME> (as headless) lets a developer run with keys from the shell.
    const withEnv: SecretStore | WritableSecretStore = secrets.encryptionAvailable
      ? {
          get: (name) => secrets.get(name) ?? env[envName(name)],
          sourceOf: (name) => (secrets.get(name) ? 'keychain' : env[envName(name)] ? 'environment' : null),
          set: async (name, value) => {
            if (value === null) await secrets.delete(name);
            else await secrets.set(name, value);
          },
        }
      : { get: (name) => env[envName(name)] };
    // connect mode: skip starting the core (the board talks to the desk over HTTPS/WSS)
    if (mode.kind !== 'desk')
      core = await deps.startCore({
        dataDir,
        transport: 'ipc',
        configPath: env['HERO_DESK_CONFIG'],
        secrets: withEnv,
        logger,
        prepareBeforeApproval: true,
      });
    if (core !== null)
      disposeIpc = registerIpc({
        core,
        isAppUrl,
        eventTargets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
        logger,
      });
    const updatesOn = updateAvailability({
      isPackaged: app.isPackaged,
      resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
      env,
    });
    if (!updatesOn.enabled) logger.info({ reason: updatesOn.reason }, 'automatic updates off');
    desktopShell = await startDesktopShell({
      core: core ?? NO_LOCAL_CORE,
      isAppUrl,
      logger,
      dataDir,
      logFile,
      productName: PRODUCT_NAME,
      developer: !app.isPackaged,
      iconPath: deps.iconPath ?? trayIconPath(deps.mainDir),
      ...(updatesOn.enabled ? { checkForUpdates: () => void updates?.checkNow() } : {}),
      createWindow: async (placement) => {
        const window = await createMainWindow(location, preloadPath(deps.mainDir), { placement, developer: !app.isPackaged });
        // Windows shutdown / log-off emits no before-quit: start the same clean stop from here
        window.on('session-end', () => {
          logger.info('Windows session ending: stopping the core');
          app.quit();
        });
        return window;
      },
    });
    await desktopShell.showBoard();
    if (updatesOn.enabled) updates = startUpdates(await updaterDeps(logger, () => stopForInstall()));
    if (pendingArticle !== null) desktopShell.openArticle(pendingArticle);
    pendingArticle = null;
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length > 0) return;
      desktopShell?.showBoard().catch((error: unknown) => logger.error({ err: error }, 'could not reopen the board window'));
    });
    logger.info({ dataDir }, 'desktop app started');
  })();

  // Quit waits for the core (queue leases released, outbox flushed), but never forever.
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  const shutdown = async (): Promise<void> => {
    await startup.catch(() => undefined);
    updates?.dispose();
    desktopShell?.dispose();
    disposeIpc?.();
    disposeSetup?.();
    if (core === null) return;
    const outcome = await within(core.stop(), deps.stopTimeoutMs ?? 15_000);
    if (outcome === 'timeout') logger.error('core did not stop in time; quitting anyway');
  };
  // the installer replaces the app right after quitAndInstall: stop the core cleanly first
  const stopForInstall = async (): Promise<void> => {
    if (phase !== 'running') return;
    phase = 'stopping';
    await shutdown().catch((error: unknown) => logger.error({ err: error }, 'core stop failed'));
    phase = 'stopped';
  };
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    shutdown()
      .catch((error: unknown) => logger.error({ err: error }, 'core stop failed'))
      .finally(async () => {
        phase = 'stopped';
        logger.info('desktop app stopped');
        await deps.closeLogger?.(logger).catch(() => undefined);
        app.quit();
      });
  });

  try {
    await startup;
  } catch (error) {
    logger.error({ err: error }, 'desktop app failed to start');
    dialog.showErrorBox('Hero Desk could not start', startupFailureText(error));
    app.quit();
  }
}
