import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC, type HeroEvent } from '../../shared/contract.ts';
import { createAppUrlGuard } from '../../electron/main/app-url.ts';
import { registerIpc } from '../../electron/main/ipc.ts';
import { createFakeCore, type FakeCore } from './fake-core.ts';
import * as electron from './electron-mock.ts';
import { anyString } from '../helpers/matchers.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const APP_PAGE = 'app://board/index.html';
const isAppUrl = createAppUrlGuard({ rendererDir: '/app/out/renderer', devServerUrl: null });
const logger = pino({ level: 'silent' });

function handlerFor(name: (typeof COMMAND_NAMES)[number]) {
  const handler = electron.ipcMain.handlers.get(IPC.commandChannel(name));
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return handler;
}

const notice: HeroEvent = { type: 'notice', seq: 7, level: 'info', message: 'queued', articleId: 'a1' };

describe('registerIpc', () => {
  let core: FakeCore;
  let dispose: () => void;
  let windows: electron.BrowserWindow[];

  beforeEach(() => {
    electron.resetElectronMock();
    core = createFakeCore();
    windows = [];
    dispose = registerIpc({ core, isAppUrl, eventTargets: () => windows.map((w) => w.webContents) as never, logger });
  });
  afterEach(() => dispose());

  it('registers exactly one invoke channel per command', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(IPC.commandChannel).sort());
  });

  it('forwards a valid call from the board to core.dispatch', async () => {
    const result = await handlerFor('approve')(electron.invokeEvent(APP_PAGE), { articleId: 'a1' });
    expect(result).toEqual({ ok: true, value: { ok: true } });
    expect(core.calls).toEqual([{ name: 'approve', input: { articleId: 'a1' } }]);
  });

  it('returns invalid_input for payloads the contract rejects, without calling the command', async () => {
    for (const bad of [undefined, null, 'a1', { articleId: '' }, { articleId: 42 }, { articleId: 'x'.repeat(201) }]) {
      const result = await handlerFor('approve')(electron.invokeEvent(APP_PAGE), bad);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(core.calls).toEqual([]);
  });

  it.each([
    ['another origin', electron.invokeEvent('https://evil.example/')],
    ['a sub-frame of our page', electron.invokeEvent(APP_PAGE, false)],
    ['a file:// page, even the built board itself', electron.invokeEvent('file:///app/out/renderer/index.html')],
    ['a local file elsewhere', electron.invokeEvent('file:///app/out/secrets.html')],
    ['another app:// host', electron.invokeEvent('app://evil/index.html')],
    ['a look-alike scheme', electron.invokeEvent('apps://board/index.html')],
    ['a destroyed frame', { senderFrame: null }],
    ['a data: URL', electron.invokeEvent('data:text/html,<script></script>')],
  ])('refuses calls from %s', async (_label, event) => {
    const result = await handlerFor('approve')(event, { articleId: 'a1' });
    expect(result).toEqual({ ok: false, error: { code: 'unauthorized', message: anyString() } });
    expect(core.calls).toEqual([]);
  });

  it('turns an unexpected dispatch failure into an internal error that hides the cause', async () => {
    core.failNextWith = new Error('database exploded at /secret/path');
    const result = await handlerFor('snapshot')(electron.invokeEvent(APP_PAGE), {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
  });

  it('forwards core events to the app windows only', () => {
    const board = new electron.BrowserWindow({});
    board.webContents.url = APP_PAGE;
    const strayed = new electron.BrowserWindow({});
    strayed.webContents.url = 'https://example.com/';
    const gone = new electron.BrowserWindow({});
    gone.webContents.url = APP_PAGE;
    gone.webContents.destroyed = true;
    windows.push(board, strayed, gone);

    core.emit(notice);

    expect(board.webContents.sent).toEqual([{ channel: IPC.eventChannel, args: [notice] }]);
    expect(strayed.webContents.sent).toEqual([]);
    expect(gone.webContents.sent).toEqual([]);
  });

  it('dispose removes every handler and the event subscription', () => {
    expect(core.listenerCount()).toBe(1);
    dispose();
    dispose = () => undefined;
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(core.listenerCount()).toBe(0);
    // registering again works, as it would after a window reload cycle
    dispose = registerIpc({ core, isAppUrl, eventTargets: () => [], logger });
    expect(electron.ipcMain.handlers.size).toBe(COMMAND_NAMES.length);
  });
});
