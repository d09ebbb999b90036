// The preload runs in the mock renderer; its ipcRenderer.invoke reaches the handlers main registered,
// so these tests cover the whole path: window.heroDesk verb → channel → sender check → core.
import { SETUP_VERBS } from '../../shared/desktop.ts';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC, type HeroEvent, type PreloadBridge } from '../../shared/contract.ts';
import { createAppUrlGuard } from '../../electron/main/app-url.ts';
import { registerIpc, sendOpenArticle } from '../../electron/main/ipc.ts';
import { createFakeCore, type FakeCore } from './fake-core.ts';
import * as electron from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

async function loadPreload(): Promise<PreloadBridge> {
  vi.resetModules(); // the preload exposes its bridge as an import side effect
  await import('../../electron/preload/index.ts');
  const bridge = electron.contextBridge.exposed.get('heroDesk');
  if (bridge === undefined) throw new Error('preload exposed nothing as heroDesk');
  return bridge as PreloadBridge;
}

describe('preload bridge', () => {
  let core: FakeCore;
  let dispose: () => void;
  let bridge: PreloadBridge;

  beforeEach(async () => {
    electron.resetElectronMock();
    core = createFakeCore();
    const isAppUrl = createAppUrlGuard({ rendererDir: '/app/out/renderer', devServerUrl: null });
    dispose = registerIpc({ core, isAppUrl, eventTargets: () => [], logger: pino({ level: 'silent' }) });
    bridge = await loadPreload();
  });
  afterEach(() => dispose());

  it('exposes only heroDesk (the command verbs plus onEvent and onOpenArticle) and heroDeskSetup (the setup verbs), all functions', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['heroDesk', 'heroDeskSetup']);
    const setup = electron.contextBridge.exposed.get('heroDeskSetup') as Record<string, unknown>;
    expect(Object.keys(setup).sort()).toEqual([...SETUP_VERBS].sort());
    for (const value of Object.values(setup)) expect(typeof value).toBe('function');
    expect(Object.keys(bridge).sort()).toEqual([...COMMAND_NAMES, 'onEvent', 'onOpenArticle'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    for (const leak of ['ipcRenderer', 'invoke', 'send', 'on', 'sendSync']) expect(bridge).not.toHaveProperty(leak);
  });

  it('each verb invokes its own contract channel with just the one input', async () => {
    electron.ipcMain.handlers.clear();
    const seen: { channel: string; args: unknown[] }[] = [];
    for (const name of COMMAND_NAMES) {
      electron.ipcMain.handle(IPC.commandChannel(name), (_event, ...args) => {
        seen.push({ channel: IPC.commandChannel(name), args });
        return { ok: true, value: null };
      });
    }
    for (const name of COMMAND_NAMES) {
      const call = bridge[name] as (...args: unknown[]) => Promise<unknown>;
      await call({ articleId: 'a1' }, 'extra argument a page tried to smuggle');
    }
    expect(seen).toEqual(COMMAND_NAMES.map((name) => ({ channel: IPC.commandChannel(name), args: [{ articleId: 'a1' }] })));
  });

  it('a verb reaches the core and returns its DispatchResult', async () => {
    await expect(bridge.reject({ articleId: 'a9', reason: 'off-topic' })).resolves.toEqual({ ok: true, value: { ok: true } });
    await expect(bridge.addDemoArticle({ headline: 'Flood' })).resolves.toEqual({ ok: true, value: { recordId: 'rec1' } });
    expect(core.calls).toEqual([
      { name: 'reject', input: { articleId: 'a9', reason: 'off-topic' } },
      { name: 'addDemoArticle', input: { headline: 'Flood', summary: '', section: 'Local', breaking: false } },
    ]);
  });

  it('bad input from the page comes back as invalid_input', async () => {
    const result = await bridge.setPrompt({ articleId: 'a1', prompt: 42 } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a page that is not the board gets unauthorized even through the real bridge', async () => {
    electron.state.rendererFrameUrl = 'https://evil.example/board';
    await expect(bridge.approve({ articleId: 'a1' })).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(core.calls).toEqual([]);
  });

  it('onEvent delivers the event alone (no IpcRendererEvent) and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => received.push(args));
    const card: HeroEvent = { type: 'notice', seq: 1, level: 'warn', message: 'slow provider', articleId: null };
    const window = new electron.BrowserWindow({});
    window.webContents.send(IPC.eventChannel, card);
    expect(received).toEqual([[card]]);

    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(IPC.eventChannel)).toBe(0);
    window.webContents.send(IPC.eventChannel, card);
    expect(received).toHaveLength(1);
  });

  it('onOpenArticle hands the page the article id only, through the main side that checks the page', () => {
    const opened: unknown[][] = [];
    const unsubscribe = bridge.onOpenArticle((...args: unknown[]) => opened.push(args));
    const isAppUrl = createAppUrlGuard({ rendererDir: '/app/out/renderer', devServerUrl: null });
    const board = new electron.BrowserWindow({});
    board.webContents.url = 'app://board/index.html';
    expect(sendOpenArticle(board.webContents as never, isAppUrl, 'rec42')).toBe(true);
    const foreign = new electron.BrowserWindow({});
    foreign.webContents.url = 'https://evil.example/';
    expect(sendOpenArticle(foreign.webContents as never, isAppUrl, 'rec43')).toBe(false);
    expect(opened).toEqual([['rec42']]);
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(IPC.openArticleChannel)).toBe(0);
  });
});
