// The built desktop bundles, as packaging ships them: `electron-vite build` into out/ (when stale), then
// out/main/index.js runs under plain Node with an Electron stand-in (stand-in/electron.ts) and the
// real core on the embedded demo. The driver (stand-in/run-built-app.ts) drives the demo loop
// through the preload's window.heroDesk — add a story, it is generated, approve, it is published —
// then quits. The core runs in its own process, forked from out/main/core-host.js through the
// stand-in's utilityProcess.fork (a real Node child with process.parentPort). What a packaging
// mistake would break shows here: a dependency missing from the main bundle's externals, a
// preload that needs more than `electron`, the core-host entry missing, the app:// page not
// served, IPC not wired, a quit that leaves jobs claimed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../helpers/build.ts';

interface Report {
  appName: string;
  privilegedSchemes: string[];
  page: { url: string; status: number; contentType: string; csp: string; hasRoot: boolean };
  preloads: string[][];
  exposed: string[];
  demoCards: number;
  story: { tier: string; readyStatus: string; approved: unknown; finalStatus: string };
  cardEventsForStory: string[];
  notifications: string[];
  menuHasQuit: boolean;
  menuHasDevTools: boolean;
  dialogs: unknown[];
  coreProcess: {
    script: string;
    forks: number;
    ownPid: boolean;
    exits: (number | null)[];
    restartNotices: number;
    cardsAfterRestart: number;
    restartedOwnPid: boolean;
  };
  runningAtQuit: boolean;
  jobsAfterQuit: { status: string; n: number; leased: number }[];
}

describe('built desktop bundles under an Electron stand-in', () => {
  let userData: string;
  let report: Report;

  beforeAll(async () => {
    // builds out/ only when it is missing or older than the sources (npm test has just built it)
    ensureBuilt();
    userData = await mkdtemp(join(tmpdir(), 'hero-desk-built-'));
    const run = spawnSync(process.execPath, [join(root, 'test/electron/stand-in/run-built-app.ts'), join(root, 'out'), userData], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, STAND_IN_APP_DATA: userData },
      timeout: 240_000,
    });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{'))
      throw new Error(`the built app run failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    report = JSON.parse(line) as Report;
  }, 300_000);
  afterAll(async () => {
    await rm(userData, { recursive: true, force: true });
  });

  it('starts as Hero Desk and serves the board from app:// with the CSP', () => {
    expect(report.appName).toBe('Hero Desk');
    expect(report.privilegedSchemes).toEqual(['app']);
    expect(report.page).toMatchObject({
      url: 'app://board/index.html',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      hasRoot: true,
    });
    expect(report.page.csp).toContain("script-src 'self'");
    expect(report.dialogs).toEqual([]);
  });

  it('runs the preload sandboxed: it requires only electron and exposes only heroDesk', () => {
    expect(report.preloads).toEqual([['electron']]);
    expect(report.exposed).toEqual(['heroDesk', 'heroDeskSetup']);
  });

  it('drives the demo loop through IPC: a new breaking story is generated, approved and published', () => {
    expect(report.demoCards).toBe(12);
    expect(report.story).toMatchObject({ tier: 'breaking', readyStatus: 'generated', approved: { ok: true }, finalStatus: 'published' });
    expect(report.cardEventsForStory).toEqual(expect.arrayContaining(['pending', 'generated', 'approved', 'published']));
    expect(report.cardEventsForStory.at(-1)).toBe('published');
    expect(report.notifications).toContain('Breaking story ready for review');
  });

  it('runs the core in its own utility process (out/main/core-host.js), restarts it once when it is killed, and stops it cleanly on quit', () => {
    // first process SIGKILLed (the stand-in reports 137, as a signal death), the restarted one exits 0 on quit
    expect(report.coreProcess).toEqual({
      script: 'core-host.js',
      forks: 2,
      ownPid: true,
      exits: [137, 0],
      restartNotices: 1,
      cardsAfterRestart: 13,
      restartedOwnPid: true,
    });
  });

  it('ships a menu with Quit Hero Desk and no DevTools', () => {
    expect(report.menuHasQuit).toBe(true);
    expect(report.menuHasDevTools).toBe(false);
  });

  it('quitting leaves no job claimed: running work went back to the queue', () => {
    expect(report.jobsAfterQuit.find((row) => row.status === 'running')).toBeUndefined();
    expect(report.jobsAfterQuit.reduce((sum, row) => sum + row.leased, 0)).toBe(0);
    expect(report.jobsAfterQuit.find((row) => row.status === 'done')?.n).toBeGreaterThan(0);
  });
});
