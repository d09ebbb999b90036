// Deadline, then upgrade (issue 11), through the real core against the fake OpenAI server: a
// breaking story whose premium call outlasts the tier deadline gets the regular tier's image first
// and the premium image later — as a candidate for the editor, or (policy 'replace') as the image,
// republished to readers once as a new version. The upgrade is a job row: a restart finishes it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardDetail } from '../../shared/domain.ts';
import { type RunningCore } from '../../electron/core/index.ts';
import { waitFor } from '../helpers/temp.ts';
import { call, cardOf, useOpenAICore } from '../helpers/openai-core.ts';
import { readerFrame, type ReaderFrame } from '../helpers/frames.ts';

const desk = useOpenAICore();
const { dirs } = desk;
const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

const STORY = {
  recordId: 'recStorm',
  fields: { Headline: 'Storm closes coast road', Summary: 'Police shut the road at noon.', Section: 'Local', Breaking: true },
};

function writeSetup(dataDir: string, upgradePolicy: 'candidate' | 'replace') {
  writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records: [STORY] }));
  const config = {
    pollIntervalMs: 200,
    providers: { premium: { type: 'openai', baseURL: desk.fake.baseURL, model: 'gpt-image-2' } },
    tiers: {
      breaking: { providers: ['premium'], deadlineSeconds: 1, maxRegenerations: 0, upgradePolicy },
      regular: { providers: ['title-card'] },
    },
    scorers: [{ type: 'local' }],
  };
  writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify(config));
}

const boot = (dataDir: string) => desk.start(dataDir);

const card = (core: RunningCore, id = STORY.recordId) => cardOf(core, id);

const premiumCalls = () => desk.fake.requests.filter((r) => r.path.endsWith('/images/generations')).length;

describe('deadline, then upgrade', () => {
  it('a slow premium call: the regular image first (upgrade on the way), the premium one later as a candidate', async () => {
    desk.fake.script('images', { kind: 'slow', delayMs: 5_000 });
    const dataDir = dirs.make();
    writeSetup(dataDir, 'candidate');
    const started = Date.now();
    const core = await boot(dataDir);
    const notices: string[] = [];
    core.onEvent((event) => event.type === 'notice' && notices.push(event.message));

    const first = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'generated' ? c : undefined;
      },
      20_000,
      'the fallback image',
    );
    const firstAt = Date.now() - started;
    expect(first.image?.provider).toBe('title-card');
    expect(first.tier).toBe('regular');
    expect(first.upgrade).toBe('on_the_way'); // the premium call is still going
    expect(firstAt).toBeLessThan(5_000); // before the premium image could have arrived

    const upgraded = await waitFor(
      async () => {
        const c = await card(core);
        return c?.upgrade === 'ready' ? c : undefined;
      },
      20_000,
      'the upgrade',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(upgraded.image?.provider).toBe('title-card'); // 'candidate': the editor decides
    expect(upgraded.status).toBe('generated');
    expect(premiumCalls()).toBe(1); // the call went on; it was not made again

    const detail = await call<CardDetail>(core, 'cardDetail', { articleId: STORY.recordId });
    const premium = detail.candidates.find((candidate) => candidate.provider === 'premium');
    expect(premium).toBeDefined();
    expect(premium?.current).toBe(false);
    expect(notices.some((n) => n.includes('arrived after its deadline'))).toBe(true);

    // the editor takes it: the flag clears
    await call(core, 'chooseCandidate', { articleId: STORY.recordId, imageId: premium!.imageId });
    const chosen = (await card(core))!;
    expect(chosen.image?.provider).toBe('premium');
    expect(chosen.upgrade).toBeNull();
  }, 40_000);

  it("'replace' on a published story: readers get the premium image once, as a newer version", async () => {
    // long enough for the fallback to be made, approved and published first even on a loaded machine
    desk.fake.script('images', { kind: 'slow', delayMs: 15_000 });
    const dataDir = dirs.make();
    writeSetup(dataDir, 'replace');
    const core = await boot(dataDir);
    const frames: ReaderFrame[] = [];
    const reader = new WebSocket(`${core.readerUrl!.replace('http', 'ws').replace('/reader', '')}/ws`);
    sockets.push(reader);
    reader.on('message', (data) => frames.push(readerFrame(data)));
    await new Promise((resolve) => reader.once('open', resolve));

    await waitFor(async () => (await card(core))?.status === 'generated', 20_000, 'the fallback image');
    await call(core, 'approve', { articleId: STORY.recordId }); // breaking: no undo window
    const live = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'published' ? c : undefined;
      },
      20_000,
      'published',
    );
    expect(live.image?.provider).toBe('title-card');
    expect(live.upgrade).toBe('on_the_way');
    expect(live.version).toBe(1);

    const replaced = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'published' && c.version === 2 && c.upgrade === null && c.image?.publishedUrl ? c : undefined;
      },
      30_000,
      'the replacement published',
    );
    expect(replaced.image?.provider).toBe('premium');
    await waitFor(() => frames.filter((f) => f.type === 'article').length >= 2, 5_000, 'two reader frames');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // nothing more comes
    const articles = frames.filter((f) => f.type === 'article').map((f) => f.message!);
    expect(articles.map((m) => m.version)).toEqual([1, 2]);
    expect(articles[1]?.imageUrl).not.toBe(articles[0]?.imageUrl);
    expect(articles[1]?.imageUrl).toBe(replaced.image?.publishedUrl);
  }, 60_000);

  it('when the upgrade arrives before the fallback, it is the image and the fallback is called off', async () => {
    desk.fake.script('images', { kind: 'slow', delayMs: 1_800 }, { kind: 'slow', delayMs: 5_000 }); // breaking, then the fallback
    const dataDir = dirs.make();
    writeSetup(dataDir, 'candidate');
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        pollIntervalMs: 200,
        providers: { premium: { type: 'openai', baseURL: desk.fake.baseURL, model: 'gpt-image-2' } },
        tiers: {
          breaking: { providers: ['premium'], deadlineSeconds: 1, maxRegenerations: 0 },
          regular: { providers: ['premium'], maxRegenerations: 0 },
        },
        scorers: [{ type: 'local' }],
      }),
    );
    const core = await boot(dataDir);
    const first = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'generated' ? c : undefined;
      },
      20_000,
      'the first image',
    );
    expect(first.tier).toBe('breaking'); // the premium image, made on the breaking tier
    expect(first.upgrade).toBeNull();
    expect(premiumCalls()).toBe(2); // the fallback had started
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // past the fallback's answer
    const later = (await card(core))!;
    expect(later.image?.contentHash).toBe(first.image?.contentHash);
    expect(later.status).toBe('generated');
    const detail = await call<CardDetail>(core, 'cardDetail', { articleId: STORY.recordId });
    expect(detail.candidates).toHaveLength(1);
    expect(core.workRemaining().jobs).toBe(0);
  }, 40_000);

  it('an upgrade in flight at a restart is finished by the next run', async () => {
    desk.fake.script('images', { kind: 'slow', delayMs: 20_000 });
    const dataDir = dirs.make();
    writeSetup(dataDir, 'candidate');
    const first = await boot(dataDir);
    await waitFor(
      async () => {
        const c = await card(first);
        return c?.status === 'generated' && c.upgrade === 'on_the_way';
      },
      20_000,
      'fallback image with the upgrade on its way',
    );
    await desk.stop(first); // the premium call is cut off; its job goes back to the queue

    const second = await boot(dataDir); // the next premium call answers at once
    expect((await card(second))?.upgrade).toBe('on_the_way');
    const done = await waitFor(
      async () => {
        const c = await card(second);
        return c?.upgrade === 'ready' ? c : undefined;
      },
      20_000,
      'the upgrade after the restart',
    );
    expect(done.image?.provider).toBe('title-card');
    expect(done.status).toBe('generated');
    expect(premiumCalls()).toBe(2);
    const detail = await call<CardDetail>(second, 'cardDetail', { articleId: STORY.recordId });
    expect(detail.candidates.filter((candidate) => candidate.provider === 'premium')).toHaveLength(1);
    expect(second.workRemaining().jobs).toBe(0);
  }, 60_000);
});
