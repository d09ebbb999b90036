// Candidates on the real core: every image made for a story stays one (with its score, reason,
// cost, prompt, seed and the scorer's revised prompt), the prompt history lists every prompt by
// attempt, and the editor's pick becomes the image that readers get.
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { waitFor } from '../helpers/temp.ts';
import { articleFrames, call, cardOf, coreHarness, detailOf, fetchBytes, waitForStatus } from './harness.ts';
import { anyNumber, arrayContaining } from '../helpers/matchers.ts';

const harness = coreHarness();
afterEach(() => harness.cleanup());

/** Mean absolute difference of two images at 160×90 (0 = identical, 255 = opposite). */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const small = (bytes: Buffer) => sharp(bytes).resize(160, 90, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] ?? 0) - (y[i] ?? 0));
  return sum / x.length;
}

describe('candidates on embedded defaults', () => {
  it('keeps every image as a candidate; the one picked becomes the image and is what readers get', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 0 } });
    const first = await waitForStatus(core, 'recDemo003', 'generated');
    await call(core, 'regenerate', { articleId: 'recDemo003', prompt: 'A quiet library at dusk, warm lamps' });
    await waitFor(
      async () => {
        const card = await cardOf(core, 'recDemo003');
        return card?.status === 'generated' && card.image?.contentHash !== first.image?.contentHash;
      },
      20_000,
      'second image',
    );

    const detail = await detailOf(core, 'recDemo003');
    expect(detail.candidates).toHaveLength(2);
    const [older, newer] = detail.candidates;
    expect(older).toMatchObject({
      current: false,
      source: 'generated',
      aiGenerated: false,
      provider: 'title-card',
      model: 'title-card-v1',
      attempt: 1,
      costUsd: 0,
    });
    expect(newer).toMatchObject({ current: true, attempt: 2 });
    expect(newer!.prompt).toContain('A quiet library at dusk, warm lamps');
    expect(older!.seed).toEqual(anyNumber());
    expect(older!.score).toEqual(anyNumber());
    expect(older!.scoreReason).toBeTruthy();
    expect(older!.credit).toBe('Illustration'); // a title card is not AI output
    expect(detail.prompts.map((use) => use.attempts)).toEqual([[1], [2]]);
    expect(detail.prompts[1]!.prompt).toBe(newer!.prompt);
    expect(detail.prompts[1]!.subject).toBe('A quiet library at dusk, warm lamps');

    const events: HeroEvent[] = [];
    core.onEvent((event) => events.push(event));
    await call(core, 'chooseCandidate', { articleId: 'recDemo003', imageId: older!.imageId });
    const chosen = (await cardOf(core, 'recDemo003'))!;
    expect(chosen.status).toBe('generated');
    expect(chosen.image?.url).toBe(older!.url);
    expect(chosen.prompt).toBe(older!.prompt);
    await waitFor(
      () => events.some((e) => e.type === 'card' && e.card.articleId === 'recDemo003' && e.card.image?.url === older!.url),
      5_000,
      'card event',
    );
    expect((await detailOf(core, 'recDemo003')).candidates.map((c) => c.current)).toEqual([true, false]);

    // another story's image, or one that does not exist, cannot be picked
    const other = (await detailOf(core, 'recDemo002')).candidates[0]!;
    expect(await core.dispatch('chooseCandidate', { articleId: 'recDemo003', imageId: other.imageId })).toMatchObject({
      ok: false,
      error: { code: 'illegal_transition' },
    });
    expect(await core.dispatch('chooseCandidate', { articleId: 'recDemo003', imageId: 99_999 })).toMatchObject({
      ok: false,
      error: { code: 'illegal_transition' },
    });

    const frames = await harness.reader(core);
    await call(core, 'approve', { articleId: 'recDemo003' });
    const published = await waitForStatus(core, 'recDemo003', 'published', 20_000);
    await waitFor(() => articleFrames(frames, 'recDemo003').length > 0, 5_000, 'reader frame');
    const hero = await fetchBytes(published.image!.publishedUrl!);
    const [fromOlder, fromNewer] = await Promise.all([
      difference(hero, await fetchBytes(older!.url)),
      difference(hero, await fetchBytes(newer!.url)),
    ]);
    expect(fromOlder).toBeLessThan(8);
    expect(fromNewer).toBeGreaterThan(fromOlder * 2);
    expect(articleFrames(frames, 'recDemo003')[0]!.message!.imageUrl).toBe(published.image!.publishedUrl);

    // a published story may take another candidate: back to review, readers keep the live one meanwhile
    await call(core, 'chooseCandidate', { articleId: 'recDemo003', imageId: newer!.imageId });
    const back = (await cardOf(core, 'recDemo003')) as Card;
    expect(back.status).toBe('generated');
    expect(back.image?.url).toBe(newer!.url);
    expect(articleFrames(frames, 'recDemo003')).toHaveLength(1);
  }, 60_000);
});

describe('candidates from the quality gate', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.stop());

  it('keeps every regeneration round with its score, reason, cost and revised prompt, and suggests the last revision', async () => {
    fake.queueScores(
      { score: 3, reason: 'Shows a forest, not a harbour.', revised_prompt: 'A busy harbour quay at dawn, fishing boats' },
      { score: 5, reason: 'Harbour, but generic.', revised_prompt: 'A bright harbour quay with festival bunting' },
      { score: 4, reason: 'Too dark.', revised_prompt: 'A sunlit harbour quay, crowds, bunting' },
    );
    const core = await harness.boot({
      config: {
        pollIntervalMs: 200,
        providers: { premium: { type: 'openai', baseURL: fake.baseURL, model: 'gpt-image-2' } },
        tiers: { regular: { providers: ['premium'], minScore: 7, maxRegenerations: 2 } },
        scorers: [{ type: 'openai-vision', baseURL: fake.baseURL }],
      },
      records: [
        {
          recordId: 'recA',
          fields: {
            Headline: 'Harbour festival returns after five years',
            Summary: 'Residents gathered at the harbour.',
            Section: 'Local',
            'Story type': 'feature',
          },
        },
      ],
      keys: { openai: fake.apiKey },
    });
    const card = await waitForStatus(core, 'recA', 'generated');
    expect(card.score).toBe(5);
    const detail = await detailOf(core, 'recA');
    expect(detail.candidates.map((c) => [c.score, c.current, c.attempt])).toEqual([
      [3, false, 1],
      [5, true, 2],
      [4, false, 3],
    ]);
    expect(detail.candidates.map((c) => c.scoreReason)).toEqual(['Shows a forest, not a harbour.', 'Harbour, but generic.', 'Too dark.']);
    for (const candidate of detail.candidates) {
      expect(candidate).toMatchObject({ provider: 'premium', aiGenerated: true, flags: arrayContaining(['low_score']) });
      expect(candidate.costUsd).toBeGreaterThan(0);
      expect(candidate.credit).toMatch(/^Illustration: AI-generated with /);
    }
    expect(detail.candidates.reduce((sum, c) => sum + (c.costUsd ?? 0), 0)).toBeCloseTo(card.costUsd, 6);
    expect(detail.candidates.map((c) => c.revisedPrompt)).toEqual([
      'A busy harbour quay at dawn, fishing boats',
      'A bright harbour quay with festival bunting',
      'A sunlit harbour quay, crowds, bunting',
    ]);
    // each round's prompt in order: the builder's, then the scorer's revisions wrapped by it
    expect(detail.prompts).toHaveLength(3);
    expect(detail.prompts[1]!.prompt).toContain('A busy harbour quay at dawn');
    expect(detail.prompts[2]!.prompt).toContain('A bright harbour quay with festival bunting');
    // the current image's own revision is the one-click suggestion …
    expect(detail.suggestedPrompt).toBe('A bright harbour quay with festival bunting');
    // … and once taken it is not offered again
    await call(core, 'setPrompt', { articleId: 'recA', prompt: 'A bright harbour quay with festival bunting' });
    expect((await detailOf(core, 'recA')).suggestedPrompt).toBeNull();
  }, 60_000);
});
