// Runs the built desktop bundles (out/main/index.js, out/preload/index.cjs) under plain Node with
// the Electron stand-in, drives the demo loop through the preload's window.heroDesk exactly as the
// board would, quits, and prints one JSON report on stdout for test/electron/built-bundle.test.ts.
// Usage: node test/electron/stand-in/run-built-app.ts <outDir> <userDataDir>
import { registerHooks } from 'node:module';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import type { DispatchResult, HeroEvent, PreloadBridge } from '../../../shared/contract.ts';
import type { Card } from '../../../shared/domain.ts';
import type * as StandIn from './electron.ts';

type StandInModule = typeof StandIn;

const [outDir, userData] = process.argv.slice(2);
if (!outDir || !userData) throw new Error('usage: run-built-app.ts <outDir> <userDataDir>');
process.env['HERO_DESK_USER_DATA'] = userData;
process.env['HERO_DESK_LOG_LEVEL'] = 'warn';

const standInUrl = new URL('./electron.ts', import.meta.url).href;
// ESM imports ignore NODE_PATH, and the real package's index.js would look for the binary.
registerHooks({
  resolve: (specifier, context, next) => (specifier === 'electron' ? { url: standInUrl, shortCircuit: true } : next(specifier, context)),
});
const electron = (await import(standInUrl)) as StandInModule;
const { standIn, BrowserWindow, app } = electron;
const preloads: string[][] = [];
standIn.events.on('preload', ({ required }: { required: string[] }) => preloads.push(required));
const coreExits: (number | null)[] = [];

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const value = <T>(result: DispatchResult): T => {
  if (!result.ok) throw new Error(`command failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

await import(pathToFileURL(join(outDir, 'main/index.js')).href);
const core = await until('the core utility process', () => standIn.utilityProcesses[0]);
const corePid = core.process.pid;
core.process.on('exit', (code: number) => coreExits.push(code));
const window = await until('the board window with window.heroDesk', () => BrowserWindow.getAllWindows()[0]);
const bridge = await until('window.heroDesk', () => window.exposed.get('heroDesk') as PreloadBridge | undefined);

const events: HeroEvent[] = [];
bridge.onEvent((event) => events.push(event));
const cardsNow = async (): Promise<Card[]> => value<{ cards: Card[] }>(await bridge.snapshot({})).cards;
const demoCards = (await cardsNow()).length;

const headline = 'Built bundle: harbour crane collapses onto ferry terminal';
const { recordId } = value<{ recordId: string }>(
  await bridge.addDemoArticle({ headline, summary: 'A crane fell.', section: 'Local', breaking: true }),
);
const story = await until('the new story ready for review', async () =>
  (await cardsNow()).find((card) => card.headline === headline && card.status === 'generated'),
);
const approved = value<unknown>(await bridge.approve({ articleId: story.articleId }));
const published = await until('the story published', async () =>
  (await cardsNow()).find((card) => card.articleId === story.articleId && card.status === 'published'),
);

// the core process dies: main starts it again, the board hears why, and commands work again
process.kill(corePid ?? 0, 'SIGKILL');
const restarted = await until('the restarted core process', () => standIn.utilityProcesses[1]);
restarted.process.on('exit', (code: number) => coreExits.push(code));
const cardsAfterRestart = (await cardsNow()).length;
const restartNotices = events.filter((e) => e.type === 'notice' && e.level === 'warn' && e.message.includes('restarted')).length;

// more work in flight, then quit: the queue must be left with nothing claimed
for (let i = 0; i < 4; i++)
  await bridge.addDemoArticle({ headline: `Quit test story ${i}`, summary: '', section: 'Local', breaking: false });
const runningAtQuit = await until(
  'a job running',
  () => {
    const db = new DatabaseSync(join(userData, 'hero-desk.db'), { readOnly: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'running'").get() as { n: number };
      return row.n > 0 ? true : undefined;
    } finally {
      db.close();
    }
  },
  60_000,
).catch(() => false);
app.quit();
await until('the app to quit', () => (standIn.quitted ? true : undefined), 30_000);
await until('the restarted core process to exit', () => (coreExits.length > 1 ? true : undefined), 10_000).catch(() => undefined);

const db = new DatabaseSync(join(userData, 'hero-desk.db'), { readOnly: true });
const jobs = db.prepare('SELECT status, count(*) AS n, sum(lease_owner IS NOT NULL) AS leased FROM jobs GROUP BY status').all() as {
  status: string;
  n: number;
  leased: number;
}[];
db.close();

const menu = JSON.stringify(standIn.applicationMenu?.template ?? null);
const [page] = standIn.pageLoads;
console.log(
  JSON.stringify({
    appName: app.getName(),
    privilegedSchemes: standIn.privilegedSchemes,
    page: page && {
      url: page.url,
      status: page.status,
      contentType: page.contentType,
      csp: page.csp,
      hasRoot: page.body.includes('id="root"'),
    },
    preloads,
    exposed: [...window.exposed.keys()],
    demoCards,
    recordId,
    story: { articleId: story.articleId, tier: story.tier, readyStatus: story.status, approved, finalStatus: published.status },
    cardEventsForStory: events
      .filter((e) => e.type === 'card' && e.card.articleId === story.articleId)
      .map((e) => (e.type === 'card' ? e.card.status : '')),
    notifications: standIn.notifications.map((n) => n.options.title),
    menuHasQuit: menu.includes('Quit Hero Desk'),
    menuHasDevTools: menu.includes('toggleDevTools'),
    dialogs: standIn.dialogs,
    quitCalls: standIn.quitCalls,
    coreProcess: {
      script: basename(core.modulePath),
      forks: standIn.utilityProcesses.length,
      ownPid: corePid !== undefined && corePid !== process.pid,
      exits: coreExits,
      restartNotices,
      cardsAfterRestart,
      restartedOwnPid: restarted.process.pid === undefined || restarted.process.pid !== corePid,
    },
    runningAtQuit,
    jobsAfterQuit: jobs,
  }),
);
process.exit(0);
