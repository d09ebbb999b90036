// Drives the desktop lifecycle against the Electron mock and a fake core: start-up wiring, and a
// quit that waits for core.stop() so the queue is left clean.
import { SETUP_VERBS, setupChannel } from '../../shared/desktop.ts';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC, type HeroEvent } from '../../shared/contract.ts';
import { runDesktopApp, type DesktopDeps } from '../../electron/main/app.ts';
import { card } from './card-fixture.ts';
import { createFakeCore, type FakeCore } from './fake-core.ts';
import { readOnlyDisk } from '../helpers/full-disk.ts';
import * as electron from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

type StartOptions = Parameters<DesktopDeps['startCore']>[0];

describe('desktop app lifecycle', () => {
  let dataDir: string;
  let core: FakeCore;
  let stop: ReturnType<typeof vi.fn<() => Promise<void>>>;
  let started: StartOptions[];

  const deps = (overrides: Partial<DesktopDeps> = {}): DesktopDeps => ({
    startCore: async (options) => {
      started.push(options);
      return {
        ...core,
        readerUrl: 'http://127.0.0.1:4100/',
        webhookUrl: null,
        dataDir: options.dataDir,
        workRemaining: () => ({ jobs: 0, writeBacks: 0 }),
        stop,
      };
    },
    createLogger: () => pino({ level: 'silent' }),
    mainDir: '/app/out/main',
    env: { HERO_DESK_USER_DATA: dataDir, HERO_DESK_SECRET_REPLICATE: 'r8-from-env' },
    stopTimeoutMs: 5_000,
    ...overrides,
  });

  beforeEach(async () => {
    electron.resetElectronMock();
    dataDir = await mkdtemp(join(tmpdir(), 'hero-desk-app-'));
    core = createFakeCore();
    stop = vi.fn(async () => undefined);
    started = [];
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts sandboxed, single-instance, with the core over IPC and one hardened board window', async () => {
    await runDesktopApp(deps());

    expect(electron.dialog.showErrorBox.mock.calls).toEqual([]);
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce();
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.app.getPath('userData')).toBe(dataDir);
    expect(electron.app.getName()).toBe('Hero Desk');
    expect((await stat(join(dataDir, 'logs'))).isDirectory()).toBe(true);

    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ dataDir, transport: 'ipc' });
    expect(started[0]?.secrets.get('openai')).toBeUndefined();
    expect(started[0]?.secrets.get('replicate')).toBe('r8-from-env');

    // the board's commands, and the first-run / desk connection channels (first-run.ts)
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(
      [...COMMAND_NAMES.map(IPC.commandChannel), ...SETUP_VERBS.map(setupChannel)].sort(),
    );
    const windows = electron.BrowserWindow.getAllWindows();
    expect(windows).toHaveLength(1);
    const [board] = windows;
    expect(board?.options['webPreferences']).toMatchObject({ preload: '/app/out/preload/index.cjs', sandbox: true });
    expect(board?.webContents.url).toBe('app://board/index.html');
    expect(board?.webContents.windowOpenHandler).not.toBeNull();
    expect(board?.webContents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);

    const session = electron.session.defaultSession;
    const callback = vi.fn();
    session.permissionRequestHandler?.({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.headersListener).not.toBeNull();
  });

  it('routes board calls and core events through the window', async () => {
    await runDesktopApp(deps());
    const [board] = electron.BrowserWindow.getAllWindows();
    const handler = electron.ipcMain.handlers.get(IPC.commandChannel('approve'));
    await expect(handler?.(electron.invokeEvent(board?.webContents.url ?? ''), { articleId: 'a1' })).resolves.toEqual({
      ok: true,
      value: { ok: true },
    });
    const event: HeroEvent = { type: 'notice', seq: 3, level: 'info', message: 'hi', articleId: null };
    core.emit(event);
    expect(board?.webContents.sent).toEqual([{ channel: IPC.eventChannel, args: [event] }]);
  });

  it('keeps its data in a folder named Hero Desk under the OS app-data folder', async () => {
    electron.app.setPath('appData', dataDir);
    await runDesktopApp(deps({ env: {} }));
    expect(electron.app.getPath('userData')).toBe(join(dataDir, 'Hero Desk'));
    expect(started[0]?.dataDir).toBe(join(dataDir, 'Hero Desk'));
  });

  it('holds the quit until the core has stopped, then quits once', async () => {
    let finishStop: () => void = () => undefined;
    stop.mockImplementation(() => new Promise<void>((resolve) => (finishStop = resolve)));
    await runDesktopApp(deps());

    expect(electron.app.emitPreventable('before-quit')).toBe(true);
    expect(electron.app.emitPreventable('before-quit')).toBe(true); // a second Cmd+Q while stopping
    await vi.waitFor(() => expect(stop).toHaveBeenCalledOnce());
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(electron.ipcMain.handlers.size).toBe(0); // no new commands reach a stopping core

    finishStop();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledOnce());
    expect(electron.app.emitPreventable('before-quit')).toBe(false); // the real quit proceeds
    expect(stop).toHaveBeenCalledOnce();
  });

  it('a Windows shutdown (session-end) starts the same clean stop', async () => {
    await runDesktopApp(deps());
    electron.app.quit.mockImplementation(() => void electron.app.emitPreventable('before-quit'));
    electron.BrowserWindow.getAllWindows()[0]?.emit('session-end');
    await vi.waitFor(() => expect(stop).toHaveBeenCalledOnce());
    electron.app.quit.mockReset();
  });

  it('quits anyway when the core never stops', async () => {
    stop.mockImplementation(() => new Promise<void>(() => undefined));
    await runDesktopApp(deps({ stopTimeoutMs: 20 }));
    electron.app.emitPreventable('before-quit');
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledOnce());
  });

  it('a second instance only hands over to the first', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    await runDesktopApp(deps());
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(started).toEqual([]);
    expect(electron.BrowserWindow.getAllWindows()).toEqual([]);
  });

  it('focuses the board when a second instance starts', async () => {
    await runDesktopApp(deps());
    electron.app.emit('second-instance');
    expect(electron.BrowserWindow.getAllWindows()[0]?.focused).toBe(true);
  });

  it('reports a core that fails to start and quits without a window', async () => {
    await runDesktopApp(deps({ startCore: () => Promise.reject(new Error('config.json: unknown provider "dalle9"')) }));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Hero Desk could not start', 'config.json: unknown provider "dalle9"');
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.BrowserWindow.getAllWindows()).toEqual([]);
  });

  const NEXT = 'fix its permissions (or set HERO_DESK_USER_DATA to another folder), then open Hero Desk again';

  it('says in one line that the data folder cannot be created, and starts nothing', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, '');
    const userData = join(file, 'Hero Desk');
    await runDesktopApp(deps({ env: { HERO_DESK_USER_DATA: userData } }));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Hero Desk could not start',
      `Cannot create the data folder ${userData}: part of the path is a file, not a folder (ENOTDIR); ${NEXT}`,
    );
    expect(started).toEqual([]);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(electron.app.quit).toHaveBeenCalledOnce();
  });

  it('says in one line that the data folder is read-only', async () => {
    // root writes through chmod: a read-only mount is the real condition then
    const disk = readOnlyDisk();
    const userData = disk?.dir ?? join(dataDir, 'read-only');
    if (!disk) {
      await mkdir(userData);
      await chmod(userData, 0o555);
    }
    try {
      await runDesktopApp(deps({ env: { HERO_DESK_USER_DATA: userData } }));
    } finally {
      disk?.unmount();
    }
    const reason = disk ? 'the file system is read-only (EROFS)' : 'permission denied (EACCES)';
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Hero Desk could not start',
      `Cannot write to the data folder ${userData}: ${reason}; ${NEXT}`,
    );
    expect(started).toEqual([]);
  });

  it('names the file and the reason when the core meets a file it may not write', async () => {
    const path = join(dataDir, 'hero-desk.db');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES', syscall: 'open', path });
    await runDesktopApp(deps({ startCore: () => Promise.reject(denied) }));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Hero Desk could not start',
      `Cannot open ${path}: permission denied (EACCES); fix its permissions or pick another folder`,
    );
  });
});

describe('desktop secrets wiring', () => {
  let dataDir: string;
  beforeEach(async () => {
    electron.resetElectronMock();
    dataDir = await mkdtemp(join(tmpdir(), 'hero-desk-app-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives the core keychain secrets first, then HERO_DESK_SECRET_* from the environment', async () => {
    const { createSafeStorageSecrets } = await import('../../electron/main/secrets.ts');
    const stored = await createSafeStorageSecrets({ filePath: join(dataDir, 'secrets.enc.json') }, { safeStorage: electron.safeStorage });
    await stored.set('openai', 'sk-from-keychain');

    let seen: StartOptions | undefined;
    await runDesktopApp({
      startCore: async (options) => {
        seen = options;
        return {
          ...createFakeCore(),
          readerUrl: null,
          webhookUrl: null,
          dataDir,
          workRemaining: () => ({ jobs: 0, writeBacks: 0 }),
          stop: async () => undefined,
        };
      },
      createLogger: () => pino({ level: 'silent' }),
      mainDir: '/app/out/main',
      env: { HERO_DESK_USER_DATA: dataDir, HERO_DESK_SECRET_OPENAI: 'sk-from-env', HERO_DESK_SECRET_AITABLE: 'at-env' },
    });
    expect(seen?.secrets.get('openai')).toBe('sk-from-keychain');
    expect(seen?.secrets.get('aitable')).toBe('at-env');
    expect(seen?.secrets.get('r2')).toBeUndefined();
  });
});

describe('desktop shell wiring', () => {
  let dataDir: string;
  let core: FakeCore;
  beforeEach(async () => {
    electron.resetElectronMock();
    dataDir = await mkdtemp(join(tmpdir(), 'hero-desk-shell-'));
    core = createFakeCore();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = (overrides: Partial<DesktopDeps> = {}) =>
    runDesktopApp({
      startCore: async (options) => ({
        ...core,
        readerUrl: null,
        webhookUrl: null,
        dataDir: options.dataDir,
        workRemaining: () => ({ jobs: 0, writeBacks: 0 }),
        stop: async () => undefined,
      }),
      createLogger: () => pino({ level: 'silent' }),
      mainDir: '/app/out/main',
      env: { HERO_DESK_USER_DATA: dataDir },
      argv: ['/Applications/Hero Desk.app/Contents/MacOS/Hero Desk'],
      iconPath: join(dataDir, 'no-icon.png'),
      ...overrides,
    });
  const openedArticles = (): unknown[] =>
    electron.BrowserWindow.getAllWindows().flatMap((w) =>
      w.webContents.sent.filter((m) => m.channel === IPC.openArticleChannel).map((m) => m.args[0]),
    );

  it('installs a menu without Reload or DevTools, keeps crash reports local and claims hero-desk:// links', async () => {
    await run();
    const template = JSON.stringify(electron.Menu.application?.template);
    expect(template).toContain('Quit Hero Desk');
    expect(template).not.toContain('toggleDevTools');
    expect(template).not.toContain('"reload"');
    expect(template).not.toContain('Check for Updates'); // not an installed, signed build
    expect(electron.crashReporter.started).toEqual([{ productName: 'Hero Desk', uploadToServer: false, compress: true }]);
    expect(electron.app.protocols).toEqual(['hero-desk']);
    expect(electron.protocol.privileged.map((entry) => entry.scheme)).toEqual(['app']);
    expect([...electron.protocol.handlers.keys()]).toEqual(['app']);
    expect(electron.BrowserWindow.getAllWindows()[0]?.options['webPreferences']).toMatchObject({ devTools: false });
  });

  it('counts stories awaiting review from the snapshot and the events, for the badge', async () => {
    core.cards = [card({ articleId: 'a', status: 'generated' })];
    await run();
    const badge = (): number | string => (process.platform === 'darwin' ? electron.app.dock.badge : electron.app.badgeCount);
    expect(badge()).toBe(process.platform === 'darwin' ? '1' : 1);
    core.emit({ type: 'card', seq: 2, card: card({ articleId: 'b', status: 'generated', version: 2 }) });
    expect(badge()).toBe(process.platform === 'darwin' ? '2' : 2);
  });

  it('notifies a breaking story ready for review; clicking opens it on the board', async () => {
    await run();
    core.emit({
      type: 'card',
      seq: 2,
      card: card({ articleId: 'recB', breaking: true, status: 'generated', version: 2, headline: 'Fire at the docks' }),
    });
    expect(electron.Notification.shown.map((n) => n.options)).toEqual([
      { title: 'Breaking story ready for review', body: 'Fire at the docks' },
    ]);
    electron.Notification.shown[0]?.emit('click');
    await vi.waitFor(() => expect(openedArticles()).toEqual(['recB']));
    expect(electron.BrowserWindow.getAllWindows()[0]?.focused).toBe(true);
  });

  it('opens the story of a hero-desk:// link given at launch, and one from a second instance', async () => {
    await run({ argv: ['C:\\Hero Desk\\hero-desk.exe', 'hero-desk://article/recFirst'] });
    await vi.waitFor(() => expect(openedArticles()).toEqual(['recFirst']));
    electron.app.emit('second-instance', {}, ['C:\\Hero Desk\\hero-desk.exe', 'hero-desk://article/recSecond'], dataDir);
    await vi.waitFor(() => expect(openedArticles()).toEqual(['recFirst', 'recSecond']));
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('follows macOS open-url links and ignores malformed ones', async () => {
    await run();
    expect(electron.app.emitPreventable('open-url')).toBe(true); // no url: ignored, still handled
    electron.app.emit('open-url', { preventDefault: () => undefined }, 'hero-desk://article/../../etc');
    electron.app.emit('open-url', { preventDefault: () => undefined }, 'hero-desk://article/recMac');
    await vi.waitFor(() => expect(openedArticles()).toEqual(['recMac']));
  });

  it('reopens the window where it was closed', async () => {
    await run();
    const [first] = electron.BrowserWindow.getAllWindows();
    if (first === undefined) throw new Error('no window');
    first.bounds = { x: 200, y: 100, width: 1200, height: 800 };
    first.close();
    electron.resetElectronMock();
    await run();
    expect(electron.BrowserWindow.getAllWindows()[0]?.options).toMatchObject({ x: 200, y: 100, width: 1200, height: 800 });
  });
});
