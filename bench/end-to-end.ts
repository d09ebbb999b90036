// The whole path on embedded defaults with a provider of fixed latency (a fake AUTOMATIC1111
// server on loopback answering after L ms): stories in → cards ready for review → approve → the
// message on a reader's socket. Prints the work outside the provider per story (as % of L), the
// provider-returns → ready-for-review time, approve → reader latency and the event-loop delay.
// Baseline in the same run: the same core with the variants made at approval (as before
// publish-ready.ts). approveUndoSeconds is 0 here: a regular story otherwise waits out its undo
// window (5 s by default) on purpose; breaking stories have no such wait.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { HeroEvent } from '../shared/contract.ts';
import { startCore, type RunningCore } from '../electron/core/index.ts';
import { silentLogger } from '../electron/core/base/log.ts';
import { isShort, median, percentile, report } from './report.ts';
import { sampleImage } from './variants.ts';

interface ProviderCall {
  prompt: string;
  answeredAt: number;
}

async function startFakeProvider(latencyMs: number) {
  const image = (await sampleImage()).toString('base64');
  // built once: stringifying 3.6 MB per answer would hold the event loop the bench is measuring
  const head = Buffer.from(`{"images":[${JSON.stringify(image)}],"info":`);
  const calls: ProviderCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/sdapi/v1/sd-models') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      const { prompt, seed } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { prompt?: string; seed?: number };
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(head);
        res.end(`${JSON.stringify(JSON.stringify({ seed }))}}`);
        calls.push({ prompt: prompt ?? '', answeredAt: performance.now() });
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, calls, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Timeline {
  generating: Map<string, number>;
  ready: Map<string, number>;
  headlines: Map<string, string>;
}

async function bootCore(
  dataDir: string,
  providerUrl: string,
  prepareBeforeApproval: boolean,
): Promise<{ core: RunningCore; timeline: Timeline }> {
  const providers = ['fake'];
  writeFileSync(
    join(dataDir, 'hero-desk.config.json'),
    JSON.stringify({
      approveUndoSeconds: 0,
      providers: { fake: { type: 'automatic1111', baseUrl: providerUrl, timeoutMs: 60_000 } },
      tiers: { breaking: { providers }, regular: { providers }, default: { providers } },
    }),
  );
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
    prepareBeforeApproval,
  });
  const timeline: Timeline = { generating: new Map(), ready: new Map(), headlines: new Map() };
  core.onEvent((event: HeroEvent) => {
    if (event.type !== 'card') return;
    const { articleId, status, headline } = event.card;
    timeline.headlines.set(articleId, headline);
    if (status === 'generating' && !timeline.generating.has(articleId)) timeline.generating.set(articleId, performance.now());
    if (status === 'generated' && !timeline.ready.has(articleId)) timeline.ready.set(articleId, performance.now());
  });
  return { core, timeline };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string, everyMs = 10): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** True once these cards have their variants (read from the data file, as another process would). */
function prepared(dataDir: string, ids: string[]): boolean {
  const db = new DatabaseSync(join(dataDir, 'hero-desk.db'), { readOnly: true });
  try {
    const query = db.prepare(
      'SELECT i.variants_made_with AS made FROM articles a JOIN images i ON i.id = a.current_image_id WHERE a.id = ?',
    );
    return ids.every((id) => (query.get(id) as { made: string | null } | undefined)?.made != null);
  } finally {
    db.close();
  }
}

/** Approves `ids` one at a time; approve click → the article frame on a reader's socket (ms). */
async function approveAll(core: RunningCore, ids: string[]): Promise<number[]> {
  const wsUrl = core.relayWsUrl ?? `${core.readerUrl!.replace('http', 'ws').replace('/reader', '')}/ws`;
  const reader = new WebSocket(wsUrl, { perMessageDeflate: false });
  const arrived = new Map<string, number>();
  reader.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { type: string; message?: { articleId: string } };
    if (frame.type === 'article' && frame.message && !arrived.has(frame.message.articleId))
      arrived.set(frame.message.articleId, performance.now());
  });
  await new Promise((resolve, reject) => reader.once('open', resolve).once('error', reject));
  const latencies: number[] = [];
  try {
    for (const id of ids) {
      const clicked = performance.now();
      const result = await core.dispatch('approve', { articleId: id });
      if (!result.ok) throw new Error(`approve ${id}: ${result.error.message}`);
      await waitFor(() => arrived.has(id), 30_000, `${id} on the reader socket`);
      latencies.push(arrived.get(id)! - clicked);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    reader.terminate();
  }
  return latencies;
}

interface RunFigures {
  outsidePct: number;
  afterProviderMs: number;
  loopP99: number;
  loopMax: number;
  /** The same measure in an idle Node process over the same window: what the machine gives any process. */
  idleLoop: { p99: number; max: number };
  approveMs: number[];
}

/**
 * A Node process that does nothing but measure its own event-loop delay: on a shared 2-core machine
 * the OS alone delays timers by tens of ms, and that floor is not the project's.
 */
function idleProcessLoop(): { stop(): Promise<{ p99: number; max: number }> } {
  const script = `import { monitorEventLoopDelay } from 'node:perf_hooks';
    const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
    process.stdin.resume();
    process.stdin.on('end', () => { h.disable(); process.stdout.write(JSON.stringify({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 })); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out) as { p99: number; max: number };
    },
  };
}

/** One core through the whole path: `stories` in, all ready for review (and prepared), then approvals. */
async function runOnce(
  dataDir: string,
  provider: Awaited<ReturnType<typeof startFakeProvider>>,
  latencyMs: number,
  stories: number,
  approvals: number,
  prepare: boolean,
): Promise<RunFigures> {
  const { core, timeline } = await bootCore(dataDir, provider.baseUrl, prepare);
  // from the first story in to the last card ready (start-up is not "while stories run")
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const idle = idleProcessLoop();
  try {
    for (let i = 12; i < stories; i++) {
      const added = await core.dispatch('addDemoArticle', {
        headline: `Bench story number ${i} about the harbour`,
        summary: 'A bench story of typical length.',
        section: 'Local',
        breaking: false,
      });
      if (!added.ok) throw new Error(`could not add a story: ${added.error.message}`);
    }
    await waitFor(() => timeline.ready.size >= stories, 600_000, `${stories} cards ready for review`);
    loop.disable();
    const idleLoop = await idle.stop();
    // the editor approves the first cards that came in; the rest may still be in preparation
    const toApprove = [...timeline.ready.keys()].slice(0, approvals);
    if (prepare) await waitFor(() => prepared(dataDir, toApprove), 600_000, 'variants of the cards to approve', 250);
    const outside: number[] = [];
    const afterProvider: number[] = [];
    for (const [id, ready] of timeline.ready) {
      const started = timeline.generating.get(id);
      if (started !== undefined) outside.push(((ready - started - latencyMs) / latencyMs) * 100);
      const headline = (timeline.headlines.get(id) ?? '').replace(/[.!?]*$/, '');
      const answered = provider.calls.filter((c) => c.prompt.includes(headline) && c.answeredAt <= ready).at(-1);
      if (answered) afterProvider.push(ready - answered.answeredAt);
    }
    const approveMs = await approveAll(core, toApprove);
    return {
      outsidePct: median(outside),
      afterProviderMs: median(afterProvider),
      loopP99: loop.percentile(99) / 1e6,
      loopMax: loop.max / 1e6,
      idleLoop,
      approveMs,
    };
  } finally {
    await core.stop();
  }
}

export async function main(): Promise<void> {
  const latencyMs = isShort() ? 500 : 2_000;
  const stories = isShort() ? 12 : 50;
  const approvals = isShort() ? 4 : 10;
  console.log(`end to end: ${stories} stories, fake provider answering after ${latencyMs} ms, embedded defaults, approveUndoSeconds 0`);
  console.log('  baseline: the same core with the variants made at approval (prepareBeforeApproval: false), run after it');
  const provider = await startFakeProvider(latencyMs);
  const dirs: string[] = [];
  const dir = () => {
    const made = mkdtempSync(join(tmpdir(), 'hd-e2e-bench-'));
    dirs.push(made);
    return made;
  };
  try {
    const ours = await runOnce(dir(), provider, latencyMs, stories, approvals, true);
    const base = await runOnce(dir(), provider, latencyMs, stories, approvals, false);
    const baselineName = 'variants made at approval';
    const p95 = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        95,
      );
    report({
      name: 'work outside the provider per story (p50)',
      unit: '% of provider time',
      project: ours.outsidePct,
      baseline: base.outsidePct,
      baselineName,
      higherIsBetter: false,
      target: { text: 'a few per cent (≤ 5 %)', met: ours.outsidePct <= 5 },
    });
    report({
      name: 'provider returns → card ready for review (p50)',
      unit: 'ms',
      project: ours.afterProviderMs,
      baseline: base.afterProviderMs,
      baselineName,
      higherIsBetter: false,
      target: { text: '≤ 100 ms', met: ours.afterProviderMs <= 100 },
    });
    report({
      name: `event-loop delay p99 while ${stories} stories run`,
      unit: 'ms',
      project: ours.loopP99,
      baseline: base.loopP99,
      baselineName,
      higherIsBetter: false,
      target: { text: '≤ 20 ms', met: ours.loopP99 <= 20 },
    });
    report({
      name: `event-loop delay max while ${stories} stories run`,
      unit: 'ms',
      project: ours.loopMax,
      baseline: base.loopMax,
      baselineName,
      higherIsBetter: false,
      target: { text: '≤ 100 ms', met: ours.loopMax <= 100 },
    });
    const idleName = 'an idle Node process, same window';
    report({
      name: `event-loop delay p99 while ${stories} stories run`,
      unit: 'ms',
      project: ours.loopP99,
      baseline: ours.idleLoop.p99,
      baselineName: idleName,
      higherIsBetter: false,
    });
    report({
      name: `event-loop delay max while ${stories} stories run`,
      unit: 'ms',
      project: ours.loopMax,
      baseline: ours.idleLoop.max,
      baselineName: idleName,
      higherIsBetter: false,
    });
    report({
      name: 'approve → message on a reader socket p50',
      unit: 'ms',
      project: median(ours.approveMs),
      baseline: median(base.approveMs),
      baselineName,
      higherIsBetter: false,
    });
    report({
      name: 'approve → message on a reader socket p95',
      unit: 'ms',
      project: p95(ours.approveMs),
      baseline: p95(base.approveMs),
      baselineName,
      higherIsBetter: false,
      target: { text: '≤ 250 ms', met: p95(ours.approveMs) <= 250 },
    });
  } finally {
    await provider.stop();
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
