// The shell's pure decisions: review count and notifications from core events, badge text, the
// menu in packaged vs developer runs, deep-link parsing, window placement, crash-report settings.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { badgeLabel, createAttention, reviewSummary, type TrayLike } from '../../electron/main/shell/attention.ts';
import { crashReporterOptions } from '../../electron/main/shell/crash-reports.ts';
import { deepLinkInArgv, parseDeepLink } from '../../electron/main/shell/deep-link.ts';
import { menuTemplate } from '../../electron/main/shell/menu.ts';
import { createNotifier, type NotificationLike } from '../../electron/main/shell/notify.ts';
import { ReviewWatch } from '../../electron/main/shell/review-watch.ts';
import { placeWindow, readWindowState, writeWindowState } from '../../electron/main/shell/window-state.ts';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { card } from './card-fixture.ts';

const cardEvent = (c: Card, seq = 1): HeroEvent => ({ type: 'card', seq, card: c });

describe('review watch', () => {
  it('counts stories awaiting review from the snapshot and the events', () => {
    const watch = new ReviewWatch();
    expect(watch.seed([card({ articleId: 'a', status: 'generated' }), card({ articleId: 'b', status: 'pending' })])).toBe(1);
    expect(watch.apply(cardEvent(card({ articleId: 'b', status: 'generated', version: 2 })))?.awaitingReview).toBe(2);
    expect(watch.apply(cardEvent(card({ articleId: 'a', status: 'approved', version: 2 })))?.awaitingReview).toBe(1);
    expect(watch.apply({ type: 'notice', seq: 9, level: 'info', message: 'x', articleId: null })).toBeNull();
  });

  it('alerts once when a breaking story becomes ready, and when a story fails; not for regular ones', () => {
    const watch = new ReviewWatch();
    watch.seed([card({ articleId: 'b1', breaking: true, status: 'scoring' }), card({ articleId: 'r1', status: 'scoring' })]);
    const ready = watch.apply(cardEvent(card({ articleId: 'b1', breaking: true, status: 'generated', version: 2 })));
    expect(ready?.alerts).toEqual([
      expect.objectContaining({ kind: 'breaking-ready', articleId: 'b1', title: 'Breaking story ready for review' }),
    ]);
    expect(watch.apply(cardEvent(card({ articleId: 'r1', status: 'generated', version: 2 })))?.alerts).toEqual([]);
    const failed = watch.apply(cardEvent(card({ articleId: 'r1', status: 'failed', lastError: 'every provider refused', version: 3 })));
    expect(failed?.alerts).toEqual([
      expect.objectContaining({ kind: 'failed', articleId: 'r1', body: 'Bridge closed after crash — every provider refused' }),
    ]);
  });

  it('ignores an older version arriving late, and the snapshot never overwrites newer event data', () => {
    const watch = new ReviewWatch();
    watch.apply(cardEvent(card({ articleId: 'a', status: 'generated', version: 3 })));
    expect(watch.seed([card({ articleId: 'a', status: 'pending', version: 1 })])).toBe(1);
    expect(watch.apply(cardEvent(card({ articleId: 'a', status: 'pending', version: 2 })))).toBeNull();
    expect(watch.awaitingReview).toBe(1);
  });
});

describe('dock badge and tray', () => {
  it('labels the badge for the dock', () => {
    expect(badgeLabel(0)).toBe('');
    expect(badgeLabel(7)).toBe('7');
    expect(badgeLabel(140)).toBe('99+');
    expect(reviewSummary(1)).toBe('1 story awaiting review');
    expect(reviewSummary(3)).toBe('3 stories awaiting review');
  });

  const setup = (platform: NodeJS.Platform) => {
    const seen = {
      dock: [] as string[],
      count: [] as number[],
      tray: null as null | (TrayLike & { tip: string; menu: unknown }),
      shown: 0,
    };
    const attention = createAttention({
      platform,
      setDockBadge: (label) => seen.dock.push(label),
      setBadgeCount: (count) => (seen.count.push(count), true),
      createTray: () => {
        const tray = {
          tip: '',
          menu: null as unknown,
          setToolTip: (t: string) => (tray.tip = t),
          setContextMenu: (m: unknown) => (tray.menu = m),
          on: () => tray,
          destroy: () => undefined,
        };
        seen.tray = tray;
        return tray;
      },
      buildMenu: (template) => template,
      showBoard: () => seen.shown++,
      quit: () => undefined,
    });
    return { attention, seen };
  };

  it('macOS: the dock badge carries the count', () => {
    const { attention, seen } = setup('darwin');
    attention.update(4);
    attention.update(0);
    expect(seen.dock).toEqual(['', '4', '']);
    expect(seen.tray).toBeNull();
  });

  it('Windows: a tray whose tooltip and menu say the count', () => {
    const { attention, seen } = setup('win32');
    attention.update(2);
    expect(seen.tray?.tip).toBe('Hero Desk: 2 stories awaiting review');
    const menu = seen.tray?.menu as MenuItemConstructorOptions[];
    expect(menu.map((item) => item.label ?? item.type)).toEqual([
      '2 stories awaiting review',
      'separator',
      'Show Hero Desk',
      'Quit Hero Desk',
    ]);
    expect(seen.dock).toEqual([]);
  });
});

describe('native notifications', () => {
  it('shows each alert once and opens its story on click', () => {
    const created: (NotificationLike & { click(): void; options: unknown })[] = [];
    const opened: (string | null)[] = [];
    const notifier = createNotifier({
      isSupported: () => true,
      create: (options) => {
        const listeners = new Map<string, () => void>();
        const n = {
          options,
          shown: false,
          on: (e: string, l: () => void) => listeners.set(e, l),
          show: () => undefined,
          click: () => listeners.get('click')?.(),
        };
        created.push(n);
        return n;
      },
      openArticle: (id) => opened.push(id),
    });
    const alert = {
      kind: 'breaking-ready' as const,
      id: 'ready:b1:2',
      title: 'Breaking story ready for review',
      body: 'Fire',
      articleId: 'b1',
    };
    expect(notifier.show(alert)).toBe(true);
    expect(notifier.show(alert)).toBe(false);
    expect(created).toHaveLength(1);
    created[0]?.click();
    expect(opened).toEqual(['b1']);
  });

  it('does nothing where the OS has no notifications', () => {
    const notifier = createNotifier({
      isSupported: () => false,
      create: () => {
        throw new Error('must not create');
      },
      openArticle: () => undefined,
    });
    expect(notifier.show({ kind: 'failed', id: 'f', title: 't', body: 'b', articleId: null })).toBe(false);
  });
});

describe('application menu', () => {
  const roles = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((item) => [item.role ?? '', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]).filter(Boolean);
  const labels = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((item) => [item.label ?? '', ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]).filter(Boolean);
  const base = { appName: 'Hero Desk', showLogs: () => undefined, showDataFolder: () => undefined };

  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`${platform}: standard roles, Quit Hero Desk, Show Logs, and no Reload or DevTools when packaged`, () => {
      const template = menuTemplate({ ...base, platform, developer: false });
      expect(roles(template)).toEqual(
        expect.arrayContaining(['quit', 'copy', 'paste', 'undo', 'selectAll', 'windowMenu', 'togglefullscreen']),
      );
      for (const dev of ['reload', 'forceReload', 'toggleDevTools']) expect(roles(template)).not.toContain(dev);
      expect(labels(template)).toEqual(expect.arrayContaining(['Quit Hero Desk', 'Show Logs']));
    });
  }

  it('developer runs get Reload and DevTools', () => {
    expect(roles(menuTemplate({ ...base, platform: 'darwin', developer: true }))).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools']),
    );
  });

  it('macOS keeps the app menu first, with About / Hide / Quit named after the product', () => {
    const [first] = menuTemplate({ ...base, platform: 'darwin', developer: false });
    expect(first?.label).toBe('Hero Desk');
    expect(labels([first as MenuItemConstructorOptions])).toEqual(
      expect.arrayContaining(['About Hero Desk', 'Hide Hero Desk', 'Quit Hero Desk']),
    );
  });
});

describe('deep links', () => {
  it('parses hero-desk://article/ID', () => {
    expect(parseDeepLink('hero-desk://article/recAbc123')).toEqual({ articleId: 'recAbc123' });
    expect(parseDeepLink('hero-desk://article/recAbc123/')).toEqual({ articleId: 'recAbc123' });
    expect(parseDeepLink('HERO-DESK://article/rec1')).toEqual({ articleId: 'rec1' });
  });

  it('refuses anything else', () => {
    for (const bad of [
      'hero-desk://settings/rec1',
      'hero-desk://article/',
      'hero-desk://article/a/b',
      'hero-desk://article/%2E%2E%2Fetc',
      'hero-desk://article/../../etc',
      'hero-desk://article/rec1?x=1',
      'hero-desk://article/<script>',
      'hero-desk://user:pw@article/rec1',
      'https://article/rec1',
      'not a url',
      `hero-desk://article/${'x'.repeat(200)}`,
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull();
    }
  });

  it("finds the link among a second instance's arguments (Windows, Linux)", () => {
    expect(deepLinkInArgv(['C:\\Hero Desk\\hero-desk.exe', '--allow-file-access', 'hero-desk://article/rec9'])).toEqual({
      articleId: 'rec9',
    });
    expect(deepLinkInArgv(['/usr/bin/hero-desk', '--flag'])).toBeNull();
  });
});

describe('window placement', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1080 };
  const right = { x: 1920, y: 0, width: 1280, height: 1024 };
  const size = { width: 1440, height: 900 };

  it('uses the default size, centred, when nothing was saved', () => {
    expect(placeWindow(null, [primary], size)).toEqual({ bounds: size, maximized: false });
  });

  it('keeps saved bounds that are on a display', () => {
    const saved = { x: 100, y: 50, width: 1200, height: 800, maximized: true };
    expect(placeWindow(saved, [primary, right], size)).toEqual({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true });
  });

  it('pulls a window half off the edge fully onto its display and shrinks it to fit', () => {
    const saved = { x: 2800, y: 600, width: 1600, height: 1200, maximized: false };
    expect(placeWindow(saved, [primary, right], size).bounds).toEqual({ x: 1920, y: 0, width: 1280, height: 1024 });
  });

  it('falls back to the default when the saved display is gone', () => {
    const saved = { x: 2100, y: 100, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [primary], size)).toEqual({ bounds: size, maximized: false });
  });

  describe('state file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hero-desk-window-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('round-trips, and treats a damaged or hand-edited file as nothing saved', async () => {
      const file = join(dir, 'window-state.json');
      expect(readWindowState(file)).toBeNull();
      writeWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
      expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
      await writeFile(file, '{"x": 10, "y": 20, "width": "huge"');
      expect(readWindowState(file)).toBeNull();
      await writeFile(file, JSON.stringify({ x: 1, y: 2, width: -5, height: 700, maximized: false }));
      expect(readWindowState(file)).toBeNull();
    });
  });
});

describe('crash reports', () => {
  it('stay local unless a collector is configured', () => {
    expect(crashReporterOptions({}, 'Hero Desk')).toEqual({ productName: 'Hero Desk', uploadToServer: false, compress: true });
    expect(crashReporterOptions({ HERO_DESK_CRASH_REPORT_URL: 'https://crash.newsroom.example/minidump' }, 'Hero Desk')).toMatchObject({
      uploadToServer: true,
      submitURL: 'https://crash.newsroom.example/minidump',
    });
  });

  it('refuse a collector that is not https, naming the fix', () => {
    expect(() => crashReporterOptions({ HERO_DESK_CRASH_REPORT_URL: 'http://crash.example/' }, 'Hero Desk')).toThrow(
      'HERO_DESK_CRASH_REPORT_URL must be an https:// URL (got "http://crash.example/"); fix it or unset it to keep crash reports local',
    );
  });
});
