// Pause and resume the pipeline (all of it, or one tier) and move a story up, through the real
// core: a pause stops new claims at once and outlives a restart; resume picks the work up again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card, QueueState } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { Store } from '../../electron/core/store/store.ts';
import { insertArticle } from '../../electron/core/store/articles.ts';
import { claimNextJob, enqueueJob } from '../../electron/core/store/jobs.ts';
import { prioritiseJob } from '../../electron/core/store/queue-state.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

async function boot(dataDir: string): Promise<RunningCore> {
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return core;
}

async function call<T>(core: RunningCore, name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const cardsOf = async (core: RunningCore) => (await call<{ cards: Card[]; queue: QueueState }>(core, 'snapshot')).cards;

describe('queue control', () => {
  it('pause stops new claims at once, survives a restart, and resume picks the work up', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records: [] }));
    const core = await boot(dataDir);
    const events: HeroEvent[] = [];
    core.onEvent((event) => events.push(event));
    const paused = await call<QueueState>(core, 'pause', {});
    expect(paused.pausedAll).toBe(true);
    expect(paused.lanes.every((lane) => lane.paused)).toBe(true);
    expect(events.some((e) => e.type === 'queue' && e.queue.pausedAll)).toBe(true);

    await call(core, 'addDemoArticle', { headline: 'Bus lane opens on the quay', breaking: false });
    await waitFor(async () => (await cardsOf(core)).length === 1, 10_000, 'the story ingested');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several engine ticks
    expect((await cardsOf(core))[0]?.status).toBe('pending');
    expect((await call<QueueState>(core, 'queueState')).lanes.find((l) => l.name === 'regular')).toMatchObject({
      queued: 1,
      running: 0,
      paused: true,
    });

    await core.stop();
    cores.splice(0);
    const again = await boot(dataDir);
    expect((await call<{ queue: QueueState }>(again, 'snapshot')).queue.pausedAll).toBe(true); // still paused after a restart
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await cardsOf(again))[0]?.status).toBe('pending');
    const resumed = await call<QueueState>(again, 'resume', {});
    expect(resumed.pausedAll).toBe(false);
    await waitFor(async () => (await cardsOf(again))[0]?.status === 'generated', 15_000, 'generated after resume');
  }, 60_000);

  it('a paused tier waits while the others run', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records: [] }));
    const core = await boot(dataDir);
    await call(core, 'pause', { lane: 'breaking' });
    await call(core, 'addDemoArticle', { headline: 'Gas leak closes the station', breaking: true });
    await call(core, 'addDemoArticle', { headline: 'Allotment show winners', breaking: false });
    await waitFor(async () => (await cardsOf(core)).find((c) => !c.breaking)?.status === 'generated', 15_000, 'the regular story');
    expect((await cardsOf(core)).find((c) => c.breaking)?.status).toBe('pending');
    await call(core, 'resume', { lane: 'breaking' });
    await waitFor(
      async () => (await cardsOf(core)).find((c) => c.breaking)?.status === 'generated',
      15_000,
      'the breaking story after resume',
    );
  }, 40_000);

  it('prioritise moves a waiting story to the front of its lane', () => {
    const store = new Store(join(dirs.make(), 'db.sqlite'));
    store.transaction(() => {
      for (const id of ['first', 'second', 'third']) {
        insertArticle(store, {
          id,
          source: 't',
          headline: id,
          summary: '',
          section: 'L',
          storyType: null,
          breaking: false,
          contentHash: id,
          tier: 'regular',
          prompt: 'p',
          promptOverride: null,
          policy: null,
        });
        enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: id, priority: 10, deadlineAt: null, maxAttempts: 3 });
      }
    });
    expect(prioritiseJob(store, 'third')).toBe(true);
    expect(claimNextJob(store, 'regular', 'w', 1000)?.article_id).toBe('third');
    expect(claimNextJob(store, 'regular', 'w', 1000)?.article_id).toBe('first');
    expect(prioritiseJob(store, 'third')).toBe(false); // running: nothing waits
    store.close();
  });
});
