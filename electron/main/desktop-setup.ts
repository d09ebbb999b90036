// Electron's side of the first run and desk connection: where the config and the shipped example
// live, the desk token's own safeStorage file, net.fetch for the desk check (Chromium's network
// stack: the same certificate trust and proxy as the board's own connection) and the relaunch that
// switches modes. app.ts calls startDesktopSetup once; the decisions live in first-run.ts.
import { app, net, safeStorage, shell } from 'electron';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CoreApi } from '../core/app/api.ts';
import type { AppUrlGuard } from './app-url.ts';
import { deskConnectSources, DESK_SECRETS_FILE } from './desk-connection.ts';
import { createSetupHandlers, desktopStartMode, type StartMode } from './first-run.ts';
import { registerSetupIpc } from './ipc.ts';
import { createSafeStorageSecrets } from './secrets.ts';

export const EXAMPLE_CONFIG_NAME = 'hero-desk.config.example.json';

/** The config file the core reads: HERO_DESK_CONFIG, else hero-desk.config.json in the data folder (as startCore). */
export function desktopConfigPath(dataDir: string, env: NodeJS.ProcessEnv): string {
  return env['HERO_DESK_CONFIG'] || join(dataDir, 'hero-desk.config.json');
}

/** Packaged: copied into resources by electron-builder.yml; unpackaged: the source tree's docs/. */
export function exampleConfigPath(mainDir: string): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return app.isPackaged && resources ? join(resources, EXAMPLE_CONFIG_NAME) : join(mainDir, '../../docs', EXAMPLE_CONFIG_NAME);
}

/** How this launch runs, and the CSP connect-src it needs (the desk's origin only in desk mode). */
export function startModeOf(dataDir: string, env: NodeJS.ProcessEnv): { mode: StartMode; deskSources: string[] } {
  const mode = desktopStartMode(dataDir, desktopConfigPath(dataDir, env));
  return { mode, deskSources: deskConnectSources(mode.kind === 'desk' ? mode.deskUrl : null) };
}

/** The shell's review count and notifications follow the local core; connected to a desk, there is none. */
export const NO_LOCAL_CORE: CoreApi = {
  dispatch: async () => ({
    ok: false,
    error: { code: 'internal', message: 'this app is connected to a newsroom desk: the board talks to it directly' },
  }),
  onEvent: () => () => undefined,
};

export async function startDesktopSetup(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  mode: StartMode;
  isAppUrl: AppUrlGuard;
  mainDir: string;
  logger: Logger;
}): Promise<() => void> {
  const deskSecrets = await createSafeStorageSecrets({ filePath: join(options.dataDir, DESK_SECRETS_FILE) }, { safeStorage });
  if (options.mode.kind !== 'solo') options.logger.info({ mode: options.mode.kind }, 'desktop mode');
  const handlers = createSetupHandlers({
    dataDir: options.dataDir,
    configPath: desktopConfigPath(options.dataDir, options.env),
    mode: options.mode,
    deskSecrets,
    fetchDesk: (url, init) => net.fetch(url, init),
    restart: () => {
      // HERO_DESK_NO_RELAUNCH=1: quit only (a test driver starts the next run itself, under its control)
      if (options.env['HERO_DESK_NO_RELAUNCH'] !== '1') app.relaunch();
      app.quit(); // before-quit stops a running core cleanly first
    },
    openPath: (path) => shell.openPath(path),
    exampleConfigPath: exampleConfigPath(options.mainDir),
    logger: options.logger,
  });
  return registerSetupIpc(handlers, options.isAppUrl, options.logger);
}
