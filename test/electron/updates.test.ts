// Updates with consent: off unless installed, signed and given an update channel; a downloaded
// update waits for the editor's answer, and "restart" stops the core before the installer runs.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  startUpdates,
  updateAvailability,
  UPDATE_BUTTONS,
  type UpdatePrompt,
  type Updates,
  type UpdaterLike,
} from '../../electron/main/shell/updates.ts';
import { stringContaining } from '../helpers/matchers.ts';

describe('when updates run', () => {
  let resources: string;
  beforeEach(async () => {
    resources = await mkdtemp(join(tmpdir(), 'hero-desk-resources-'));
  });
  afterEach(async () => {
    await rm(resources, { recursive: true, force: true });
  });
  const check = (env: NodeJS.ProcessEnv = {}, isPackaged = true) => updateAvailability({ isPackaged, resourcesPath: resources, env });

  it('only in an installed, signed build with an update channel', async () => {
    expect(check({}, false)).toEqual({ enabled: false, reason: 'not an installed build' });
    expect(check()).toMatchObject({ enabled: false, reason: stringContaining('no update channel') });
    await writeFile(join(resources, 'app-update.yml'), 'provider: github\nowner: newsroom\nrepo: hero-desk\n');
    expect(check()).toMatchObject({ enabled: false, reason: stringContaining('build-info.json missing') });
    await writeFile(join(resources, 'build-info.json'), JSON.stringify({ signed: false }));
    expect(check()).toEqual({ enabled: false, reason: 'unsigned build: install new versions by hand' });
    await writeFile(join(resources, 'build-info.json'), JSON.stringify({ signed: true }));
    expect(check()).toEqual({ enabled: true });
    expect(check({ HERO_DESK_UPDATES: 'off' })).toEqual({ enabled: false, reason: 'turned off (HERO_DESK_UPDATES=off)' });
  });
});

class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  logger: unknown = 'default';
  next: { isUpdateAvailable: boolean; updateInfo: { version: string } } | Error = {
    isUpdateAvailable: false,
    updateInfo: { version: '0.1.0' },
  };
  installs: [boolean | undefined, boolean | undefined][] = [];
  checks = 0;
  async checkForUpdates() {
    this.checks++;
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

describe('update flow', () => {
  let updater: FakeUpdater;
  let asked: { message: string; buttons: string[] }[];
  let told: string[];
  let answer: number;
  let order: string[];
  let updates: Updates;

  beforeEach(() => {
    updater = new FakeUpdater();
    asked = [];
    told = [];
    answer = 2;
    order = [];
    const prompt: UpdatePrompt = {
      ask: async (options) => {
        asked.push(options);
        return answer;
      },
      tell: async (options) => void told.push(options.message),
    };
    updates = startUpdates({
      updater,
      prompt,
      logger: pino({ level: 'silent' }),
      currentVersion: '0.1.0',
      prepareToQuit: async () => void order.push('core stopped'),
      firstCheckMs: 60_000,
      everyMs: 60_000,
    });
    updater.quitAndInstall = (silent, runAfter) => {
      order.push('quitAndInstall');
      updater.installs.push([silent, runAfter]);
    };
  });
  afterEach(() => updates.dispose());

  it('downloads in the background but never installs on its own', () => {
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('asks once per version; "Later" installs nothing', async () => {
    updater.emit('update-downloaded', { version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toMatchObject({ message: 'Hero Desk 0.2.0 is ready to install', buttons: [...UPDATE_BUTTONS] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(updater.installs).toEqual([]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('"Restart and install" stops the core first, then hands over to the installer', async () => {
    answer = 0;
    updater.emit('update-downloaded', { version: '0.2.0' });
    await vi.waitFor(() => expect(order).toEqual(['core stopped', 'quitAndInstall']));
    expect(updater.installs).toEqual([[false, true]]);
  });

  it('"Install when I quit" arms the install for the next quit only', async () => {
    answer = 1;
    updater.emit('update-downloaded', { version: '0.2.0' });
    await vi.waitFor(() => expect(updater.autoInstallOnAppQuit).toBe(true));
    expect(updater.installs).toEqual([]);
  });

  it('a manual check says what it found; a background failure is only logged', async () => {
    await updates.checkNow();
    expect(told).toEqual(['Hero Desk is up to date']);
    updater.next = { isUpdateAvailable: true, updateInfo: { version: '0.3.0' } };
    await updates.checkNow();
    expect(told.at(-1)).toBe('Hero Desk 0.3.0 is downloading');
    updater.next = new Error('net::ERR_INTERNET_DISCONNECTED');
    await updates.checkNow();
    expect(told.at(-1)).toBe('Could not check for updates');
    updater.emit('error', new Error('background failure'));
    expect(asked).toEqual([]);
  });
});
