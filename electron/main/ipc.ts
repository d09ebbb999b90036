// The only module that touches ipcMain. Each command gets one invoke channel; every call must come
// from the main frame of the app's own page (checklist item 17) before its raw input reaches
// `core.dispatch`, which validates it against the shared contract.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from 'pino';
import { COMMAND_NAMES, IPC, type DispatchResult, type HeroEvent } from '../../shared/contract.ts';
import type { CoreApi } from '../core/app/api.ts';
import type { AppUrlGuard } from './app-url.ts';
import { SETUP_VERBS, setupChannel, type DesktopSetupBridge } from '../../shared/desktop.ts';

export interface IpcDeps {
  core: CoreApi;
  isAppUrl: AppUrlGuard;
  /** WebContents that may receive board events (the app's windows). */
  eventTargets: () => Iterable<WebContents>;
  logger: Logger;
}

const UNAUTHORIZED: DispatchResult = {
  ok: false,
  error: { code: 'unauthorized', message: 'caller is not the Hero Desk board' },
};

/** Main frame of our own page only: sub-frames, other origins and destroyed frames are refused. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, isAppUrl: AppUrlGuard): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Asks the board in `contents` to open a story; only our own page is told. */
export function sendOpenArticle(contents: WebContents, isAppUrl: AppUrlGuard, articleId: string): boolean {
  if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return false;
  contents.send(IPC.openArticleChannel, articleId);
  return true;
}

/** Registers every command handler and the event fan-out; the returned function undoes both. */
export function registerIpc(deps: IpcDeps): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(IPC.commandChannel(name), async (event, input: unknown): Promise<DispatchResult> => {
      if (!isTrustedSender(event, deps.isAppUrl)) {
        deps.logger.warn({ command: name }, 'ipc call from an untrusted frame refused');
        return UNAUTHORIZED;
      }
      try {
        return await deps.core.dispatch(name, input);
      } catch (error) {
        // dispatch maps known failures itself; anything left is a bug, kept out of the renderer.
        deps.logger.error({ err: error, command: name }, 'ipc dispatch failed');
        return { ok: false, error: { code: 'internal', message: 'internal error' } };
      }
    });
  }

  const unsubscribe = deps.core.onEvent((event: HeroEvent) => {
    for (const contents of deps.eventTargets()) {
      if (contents.isDestroyed() || !deps.isAppUrl(contents.getURL())) continue;
      contents.send(IPC.eventChannel, event);
    }
  });

  return () => {
    unsubscribe();
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(IPC.commandChannel(name));
  };
}

const UNTRUSTED_SETUP = { status: 'refused', reason: 'address', message: 'caller is not the Hero Desk board' } as const;

/** The first-run / desk connection channels (first-run.ts answers them), same sender check; returns their removal. */
export function registerSetupIpc(handlers: DesktopSetupBridge, isAppUrl: AppUrlGuard, logger: Logger): () => void {
  for (const verb of SETUP_VERBS) {
    ipcMain.handle(setupChannel(verb), async (event, input: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) {
        logger.warn({ verb }, 'setup call from an untrusted frame refused');
        return UNTRUSTED_SETUP;
      }
      try {
        return await (handlers[verb] as (input: unknown) => Promise<unknown>)(input);
      } catch (error) {
        logger.error({ err: error, verb }, 'setup call failed');
        return { status: 'refused', reason: 'unreachable', message: 'Hero Desk could not finish that: see Help → Show logs' };
      }
    });
  }
  return () => {
    for (const verb of SETUP_VERBS) ipcMain.removeHandler(setupChannel(verb));
  };
}
