// Updates with the editor's consent (electron-updater against the GitHub releases the release
// workflow uploads). Checked in the background after start and every few hours; a found update
// downloads quietly, then the editor is asked: restart now, install when quitting, or later.
// Nothing installs without that answer, and nothing runs in unsigned or unpackaged builds: macOS
// refuses to apply unsigned updates, and an unsigned Windows installer could not be told apart
// from a forged one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errorMessage } from '../../../shared/error-message.ts';

/** Written by scripts/packaging/after-pack.ts next to app.asar. */
export const BuildInfoSchema = z.object({ signed: z.boolean() });
export type BuildInfo = z.infer<typeof BuildInfoSchema>;

export type UpdateAvailability = { enabled: true } | { enabled: false; reason: string };

export interface AvailabilityInput {
  isPackaged: boolean;
  resourcesPath: string | undefined;
  env: NodeJS.ProcessEnv;
}

export function readBuildInfo(resourcesPath: string): BuildInfo | null {
  try {
    const parsed = BuildInfoSchema.safeParse(JSON.parse(readFileSync(join(resourcesPath, 'build-info.json'), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function updateAvailability(input: AvailabilityInput): UpdateAvailability {
  if (input.env['HERO_DESK_UPDATES'] === 'off') return { enabled: false, reason: 'turned off (HERO_DESK_UPDATES=off)' };
  if (!input.isPackaged || !input.resourcesPath) return { enabled: false, reason: 'not an installed build' };
  if (!existsSync(join(input.resourcesPath, 'app-update.yml'))) {
    return { enabled: false, reason: 'this build has no update channel (packaged without a publish setting)' };
  }
  const info = readBuildInfo(input.resourcesPath);
  if (info === null) return { enabled: false, reason: 'build-info.json missing: cannot tell whether this build is signed' };
  if (!info.signed) return { enabled: false, reason: 'unsigned build: install new versions by hand' };
  return { enabled: true };
}

/** The slice of electron-updater's autoUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<{ isUpdateAvailable?: boolean; updateInfo: { version: string } } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdatePrompt {
  /** Returns the index of the chosen button. */
  ask(options: { message: string; detail: string; buttons: string[] }): Promise<number>;
  tell(options: { message: string; detail?: string }): Promise<void>;
}

export interface UpdatesDeps {
  updater: UpdaterLike;
  prompt: UpdatePrompt;
  logger: Logger;
  currentVersion: string;
  /** Stops the core cleanly (queue released) before the installer replaces the app. */
  prepareToQuit: () => Promise<void>;
  firstCheckMs?: number;
  everyMs?: number;
}

export interface Updates {
  /** Help → Check for Updates…: like the background check, but says what it found. */
  checkNow(): Promise<void>;
  dispose(): void;
}

export const UPDATE_BUTTONS = ['Restart and install', 'Install when I quit', 'Later'] as const;

export function startUpdates(deps: UpdatesDeps): Updates {
  const { updater, prompt, logger } = deps;
  updater.autoDownload = true; // downloading is not installing
  updater.autoInstallOnAppQuit = false; // installing needs the editor's yes
  updater.logger = null;
  let asked: string | null = null;

  updater.on('error', (error) => logger.warn({ err: error }, 'update check or download failed'));
  updater.on('update-downloaded', (info) => {
    if (asked === info.version) return;
    asked = info.version;
    void prompt
      .ask({
        message: `Hero Desk ${info.version} is ready to install`,
        detail: `You have ${deps.currentVersion}. Installing restarts Hero Desk; stories in progress carry on after the restart.`,
        buttons: [...UPDATE_BUTTONS],
      })
      .then(async (choice) => {
        if (choice === 0) {
          logger.info({ version: info.version }, 'installing the update now (the editor agreed)');
          await deps.prepareToQuit();
          updater.quitAndInstall(false, true);
        } else if (choice === 1) {
          logger.info({ version: info.version }, 'update installs when Hero Desk quits (the editor agreed)');
          updater.autoInstallOnAppQuit = true;
        } else {
          logger.info({ version: info.version }, 'update postponed by the editor');
        }
      })
      .catch((error: unknown) => logger.error({ err: error }, 'could not install the update'));
  });

  const check = async (manual: boolean): Promise<void> => {
    try {
      const result = await updater.checkForUpdates();
      if (manual && (result === null || result.isUpdateAvailable === false)) {
        await prompt.tell({ message: 'Hero Desk is up to date', detail: `Version ${deps.currentVersion}.` });
      } else if (manual) {
        await prompt.tell({
          message: `Hero Desk ${result?.updateInfo.version} is downloading`,
          detail: 'You will be asked before it installs.',
        });
      }
    } catch (error) {
      logger.warn({ err: error }, 'update check failed');
      if (manual) await prompt.tell({ message: 'Could not check for updates', detail: errorMessage(error) });
    }
  };

  const first = setTimeout(() => void check(false), deps.firstCheckMs ?? 30_000);
  const every = setInterval(() => void check(false), deps.everyMs ?? 6 * 60 * 60_000);
  first.unref?.();
  every.unref?.();
  return {
    checkNow: () => check(true),
    dispose() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
