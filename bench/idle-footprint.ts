// An idle desk and its footprint: a core on embedded defaults (demo datasheet, title cards, local
// disk, bundled relay, publish-ready on, as the desk runs it) holding N stories it ingested itself,
// a few more just made and prepared through the whole pipeline, the board loaded once; then CPU
// over an idle window (process.cpuUsage) and RSS. Each size runs in its own child process (RSS
// never shrinks back, so two cores in one process would measure each other), started with the
// allocator settings bin/hero-desk.mjs gives the desk (electron/cli/lean-allocator.ts). Baseline in the same
// run: the same desk with 50 stories — the footprint should not grow with the stories kept.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { HeroEvent } from '../shared/contract.ts';
import { startCore, type RunningCore } from '../electron/core/index.ts';
import { silentLogger } from '../electron/core/base/log.ts';
import { setPaused } from '../electron/core/store/queue-state.ts';
import { Store } from '../electron/core/store/store.ts';
import { LEAN_ALLOCATOR_ENV } from '../electron/cli/lean-allocator.ts';
import { isShort, note, report } from './report.ts';

interface Footprint {
  stories: number;
  idleCpuPct: number;
  rssMiB: number;
  heapMiB: number;
}

const SECTIONS = ['Local', 'Politics', 'Education', 'Transport', 'Business', 'Sports', 'Health', 'Weather'];

function datasheet(count: number): string {
  const records = Array.from({ length: count }, (_, n) => ({
    recordId: `rec${String(n).padStart(5, '0')}`,
    fields: {
      Headline: `Story ${n}: council, schools and the harbour desk update`,
      Summary: 'A story from the local desk, about as long as an AITable summary field usually is. '.repeat(3),
      Section: SECTIONS[n % SECTIONS.length],
    },
  }));
  return `${JSON.stringify({ records }, null, 2)}\n`;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function count(dataDir: string, sql: string): number {
  const db = new DatabaseSync(join(dataDir, 'hero-desk.db'), { readOnly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

/** A free loopback port, kept for both starts: a media server on a new port would republish every story. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let ports: { media: number; relay: number } | null = null;
async function start(dataDir: string): Promise<RunningCore> {
  ports ??= { media: await freePort(), relay: await freePort() };
  return startCore({
    dataDir,
    transport: 'web',
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort: ports.media,
    relayPort: ports.relay,
    prepareBeforeApproval: true,
  });
}

/** The kept stories, ingested by the core itself with the queue paused, then settled as a newsroom's past. */
async function ingestKept(dataDir: string, stories: number): Promise<void> {
  writeFileSync(join(dataDir, 'demo-datasheet.json'), datasheet(stories));
  const store = new Store(join(dataDir, 'hero-desk.db'));
  setPaused(store, true, undefined, 'bench');
  store.close();
  const core = await start(dataDir);
  await waitFor(() => count(dataDir, 'SELECT COUNT(*) AS n FROM articles') >= stories, 300_000, `${stories} stories ingested`);
  await core.stop();
  const settle = new Store(join(dataDir, 'hero-desk.db'));
  const now = Date.now();
  settle.transaction(() => {
    settle.db.run("UPDATE jobs SET status = 'done', finished_at = ?, updated_at = ? WHERE finished_at IS NULL", now, now);
    settle.db.run(
      `INSERT INTO images (article_id, content_hash, storage_key, thumb_key, content_type, width, height, bytes, provider, model, prompt, seed, score, created_at)
       SELECT id, 'h' || id, 'originals/' || id || '.png', 'thumbs/' || id || '.webp', 'image/png', 1792, 1024, 100000, 'title-card', 'title-card', prompt, 1, 8, ? FROM articles`,
      now,
    );
    settle.db.run(
      "UPDATE articles SET status = 'published', current_image_id = (SELECT MAX(i.id) FROM images i WHERE i.article_id = articles.id), updated_at = ?",
      now,
    );
    // each published story has its publication, as a desk's past does (the safety net reads them)
    settle.db.run(
      `INSERT INTO publications (article_id, image_id, kind, version, idempotency_key, status, created_at, published_at)
       SELECT id, current_image_id, 'publish', 1, id || ':v1:publish', 'published', ?, ? FROM articles`,
      now,
      now,
    );
  });
  setPaused(settle, false, undefined, 'bench');
  settle.close();
}

/** A few stories through the whole path (made, scored, thumbnailed, variants prepared), as a desk at work. */
async function workAFew(core: RunningCore, dataDir: string, live: number): Promise<void> {
  const ready = new Set<string>();
  core.onEvent((event: HeroEvent) => {
    if (event.type === 'card' && event.card.status === 'generated') ready.add(event.card.articleId);
  });
  for (let i = 0; i < live; i++) {
    const added = await core.dispatch('addDemoArticle', {
      headline: `Live story ${i} about the harbour`,
      summary: 'A story of typical length.',
      section: 'Local',
      breaking: false,
    });
    if (!added.ok) throw new Error(`could not add a story: ${added.error.message}`);
  }
  await waitFor(() => ready.size >= live, 600_000, `${live} live cards ready for review`);
  const preparedSql =
    "SELECT COUNT(*) AS n FROM articles a JOIN images i ON i.id = a.current_image_id WHERE a.status = 'generated' AND i.variants_made_with IS NOT NULL";
  await waitFor(() => count(dataDir, preparedSql) >= live, 600_000, 'variants of the live cards', 500);
  const board = await core.dispatch('snapshot', {});
  if (!board.ok) throw new Error(`snapshot: ${board.error.message}`);
}

async function child(stories: number, live: number, idleMs: number): Promise<Footprint> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hd-idle-bench-'));
  try {
    await ingestKept(dataDir, stories);
    const core = await start(dataDir);
    try {
      await workAFew(core, dataDir, live);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the last writes and timers settle
      const cpu = process.cpuUsage();
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      const used = process.cpuUsage(cpu);
      const idleCpuPct = ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
      const memory = process.memoryUsage();
      return { stories: stories + live, idleCpuPct, rssMiB: memory.rss / 2 ** 20, heapMiB: memory.heapUsed / 2 ** 20 };
    } finally {
      await core.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `leanAllocator`: started as bin/hero-desk.mjs starts the desk (glibc's allocator set up for sharp). */
function runChild(stories: number, live: number, idleMs: number, leanAllocator = true): Promise<Footprint> {
  const env = { ...process.env };
  delete env.MALLOC_ARENA_MAX;
  delete env.MALLOC_MMAP_THRESHOLD_;
  if (leanAllocator) Object.assign(env, LEAN_ALLOCATOR_ENV);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [import.meta.filename, '--child', String(stories), String(live), String(idleMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`idle bench child (${stories} stories) exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as Footprint);
    });
  });
}

export async function main(): Promise<void> {
  const stories = 5_000;
  const live = isShort() ? 4 : 12;
  // a full run's window holds a whole minute, so the work done once a minute (the safety net) is in it
  const idleMs = isShort() ? 10_000 : 65_000;
  console.log(
    `idle and footprint: ${stories.toLocaleString('en')} stories ingested and settled + ${live} made and prepared, board loaded once, then ${idleMs / 1000} s idle; each desk in its own process`,
  );
  const base = await runChild(50, live, idleMs);
  const ours = await runChild(stories, live, idleMs);
  const baselineName = `the same desk with ${base.stories} stories`;
  report({
    name: `idle CPU with ${ours.stories.toLocaleString('en')} stories`,
    unit: '%',
    project: ours.idleCpuPct,
    baseline: base.idleCpuPct,
    baselineName,
    higherIsBetter: false,
    target: { text: '< 0.5 %', met: ours.idleCpuPct < 0.5 },
  });
  report({
    name: `RSS with ${ours.stories.toLocaleString('en')} stories`,
    unit: 'MiB',
    project: ours.rssMiB,
    baseline: base.rssMiB,
    baselineName,
    higherIsBetter: false,
    target: { text: '≤ 300 MiB', met: ours.rssMiB <= 300 },
  });
  console.log(
    `  JS heap in use: ${ours.heapMiB.toFixed(0)} MiB with ${ours.stories.toLocaleString('en')} stories, ${base.heapMiB.toFixed(0)} MiB with ${base.stories}`,
  );
  if (!isShort()) {
    const plain = await runChild(stories, live, idleMs, false);
    note(
      `started without the launcher's allocator settings (plain node, as the desktop app's main process is today): RSS ${plain.rssMiB.toFixed(0)} MiB, idle CPU ${plain.idleCpuPct.toFixed(2)} %`,
    );
  }
}

if (import.meta.main) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [stories, live, idleMs] = process.argv.slice(at + 1, at + 4).map(Number) as [number, number, number];
    const result = await child(stories, live, idleMs);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  await main();
}
