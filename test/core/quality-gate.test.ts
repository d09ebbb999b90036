// The pipeline against the fake OpenAI server: provider chains, the vision quality gate with
// bounded regeneration, story policy routing, budgets, the ledger and the duplicate flag.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../shared/contract.ts';
import { waitFor } from '../helpers/temp.ts';
import { call, cardOf, useOpenAICore, type DemoRecord } from '../helpers/openai-core.ts';

const desk = useOpenAICore();

type Row = DemoRecord;
const boot = (config: Record<string, unknown>, records: Row[]) => desk.boot(config, records);

const card = cardOf;

const settled = (status?: string) => status === 'generated' || status === 'failed';
const openai = () => ({ type: 'openai', baseURL: `${desk.fake.baseURL}`, model: 'gpt-image-2' });
const vision = () => ({ type: 'openai-vision', baseURL: `${desk.fake.baseURL}` });
const record = (recordId: string, fields: Record<string, unknown>): Row => ({
  recordId,
  fields: { Summary: 'Residents gathered at the harbour.', Section: 'Local', ...fields },
});

describe('quality gate and provider chains', () => {
  it('regenerates a low-scoring image with the revised prompt, stops at the bound, and costs every attempt', async () => {
    desk.fake.queueScores(
      { score: 3, reason: 'Shows a forest, not a harbour.', revised_prompt: 'A busy harbour quay at dawn, fishing boats' },
      { score: 4, reason: 'Closer, but too dark.', revised_prompt: 'A bright harbour quay, morning light' },
      { score: 5, reason: 'Harbour, but generic.' },
    );
    const core = await boot(
      {
        providers: { premium: openai() },
        tiers: { regular: { providers: ['premium'], minScore: 7, maxRegenerations: 2 } },
        scorers: [vision()],
      },
      [record('recA', { Headline: 'Harbour festival returns after five years', 'Story type': 'feature' })],
    );
    await waitFor(async () => settled((await card(core, 'recA'))?.status), 20_000, 'recA settled');
    const result = (await card(core, 'recA'))!;
    expect(result.status).toBe('generated');
    expect(result.score).toBe(5); // the best of the three
    expect(result.flags).toContain('low_score');
    expect(result.attempts).toBe(3);
    const generates = desk.fake.requests.filter((r) => r.path.endsWith('/images/generations'));
    expect(generates).toHaveLength(3);
    expect(String((generates[1]?.body as { prompt: string }).prompt)).toContain('A busy harbour quay at dawn');
    expect(String((generates[2]?.body as { prompt: string }).prompt)).toContain('A bright harbour quay');
    const outcomes = result.history.map((h) => `${h.provider}:${h.outcome}`);
    expect(outcomes).toEqual([
      'premium:ok',
      'openai-vision:low_score',
      'premium:ok',
      'openai-vision:low_score',
      'premium:ok',
      'openai-vision:low_score',
    ]);
    for (const attempt of result.history) expect(attempt.costUsd).toBeGreaterThan(0);
    const ledger = await call<Ledger>(core, 'ledger');
    const total = result.history.reduce((sum, h) => sum + h.costUsd, 0);
    expect(ledger.tiers.find((t) => t.tier === 'regular')?.costUsd).toBeCloseTo(total, 6);
    expect(ledger.articles).toEqual([expect.objectContaining({ articleId: 'recA' })]);
    expect(result.costUsd).toBeCloseTo(total, 6);
  });

  it('falls through the chain when the premium provider fails, and says why on the card', async () => {
    desk.fake.script('images', { kind: 'moderation_blocked' });
    const core = await boot(
      { providers: { premium: openai() }, tiers: { breaking: { providers: ['premium', 'title-card'] } }, scorers: [{ type: 'local' }] },
      [record('recB', { Headline: 'Storm closes coast road', Breaking: true })],
    );
    await waitFor(async () => settled((await card(core, 'recB'))?.status), 20_000);
    const result = (await card(core, 'recB'))!;
    expect(result.image?.provider).toBe('title-card');
    expect(result.tier).toBe('breaking');
    expect(result.history[0]).toMatchObject({ provider: 'premium', outcome: 'refused' });
    expect(result.history[0]?.detail).toMatch(/moderation|safety|policy/i);
  });

  it('a PNG cut short in transit counts as a failed (and costed) call, not an image: the chain moves on', async () => {
    const whole = await sharp({ create: { width: 1536, height: 1024, channels: 3, background: '#225577' } })
      .png()
      .toBuffer();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6)); // still starts with the PNG signature
    const body = {
      created: 1,
      data: [{ b64_json: cut.toString('base64') }],
      output_format: 'png',
      quality: 'medium',
      size: '1536x1024',
      usage: {
        input_tokens: 10,
        output_tokens: 1056,
        total_tokens: 1066,
        input_tokens_details: { text_tokens: 10, image_tokens: 0 },
        output_tokens_details: { image_tokens: 1056, text_tokens: 0 },
      },
    };
    desk.fake.script('images', { kind: 'raw', status: 200, body });
    const core = await boot(
      { providers: { premium: openai() }, tiers: { breaking: { providers: ['premium', 'title-card'] } }, scorers: [{ type: 'local' }] },
      [record('recCut', { Headline: 'Bridge lights restored', Breaking: true })],
    );
    await waitFor(async () => settled((await card(core, 'recCut'))?.status), 20_000);
    const result = (await card(core, 'recCut'))!;
    expect(result.image?.provider).toBe('title-card');
    expect(result.history[0]).toMatchObject({ provider: 'premium', outcome: 'error' });
    expect(result.history[0]?.detail).toContain('does not decode');
    expect(result.history[0]?.costUsd).toBeGreaterThan(0); // OpenAI billed it: the ledger says so
    expect(result.history.filter((h) => h.provider === 'premium')).toHaveLength(1); // one call, not six
  });

  it("drops a late job to the next tier at the deadline, with the slow call costed as a timeout (upgradePolicy 'off')", async () => {
    desk.fake.script('images', { kind: 'slow', delayMs: 10_000 });
    const core = await boot(
      {
        providers: { premium: openai() },
        // 'off': no upgrade goes on in the background (test/core/upgrade-flow.test.ts has the default)
        tiers: { breaking: { providers: ['premium'], deadlineSeconds: 1, upgradePolicy: 'off' }, regular: { providers: ['title-card'] } },
        scorers: [{ type: 'local' }],
      },
      [record('recL', { Headline: 'Gas leak: Market Street evacuated', Breaking: true })],
    );
    await waitFor(async () => settled((await card(core, 'recL'))?.status), 20_000);
    const result = (await card(core, 'recL'))!;
    expect(result.tier).toBe('regular');
    expect(result.image?.provider).toBe('title-card');
    expect(result.history[0]).toMatchObject({ provider: 'premium', outcome: 'timeout' });
    expect(result.history[0]?.detail).toMatch(/deadline/);
    expect(result.upgrade).toBeNull();
  });

  it('routes by story policy: an obituary never gets an AI image', async () => {
    const core = await boot({ providers: { premium: openai() }, tiers: { regular: { providers: ['premium'] } } }, [
      record('recC', { Headline: 'Former mayor dies aged 91', 'Story type': 'obituary' }),
    ]);
    await waitFor(async () => settled((await card(core, 'recC'))?.status), 20_000);
    const result = (await card(core, 'recC'))!;
    expect(result.tier).toBe('default');
    expect(result.image?.provider).toBe('default-image');
    expect(result.policy).toBeTruthy();
    expect(desk.fake.requests.filter((r) => r.path.endsWith('/images/generations'))).toHaveLength(0);
  });

  it('stops spending on a tier past its daily budget: later jobs fall to the default tier', async () => {
    const core = await boot(
      {
        providers: { premium: openai() },
        tiers: { regular: { providers: ['premium'], dailyBudgetUsd: 0.0001, concurrency: 1 } },
        scorers: [vision()],
      },
      [record('recD1', { Headline: 'Bus lane opens on High Street', 'Story type': 'feature' })],
    );
    await waitFor(async () => settled((await card(core, 'recD1'))?.status), 20_000);
    const { recordId } = await call<{ recordId: string }>(core, 'addDemoArticle', {
      headline: 'Second story of the day',
      section: 'Local',
    });
    await waitFor(async () => settled((await card(core, recordId))?.status), 20_000);
    const second = (await card(core, recordId))!;
    expect(second.tier).toBe('default');
    expect(second.history.some((h) => h.provider === 'premium')).toBe(false);
    expect(desk.fake.requests.filter((r) => r.path.endsWith('/images/generations'))).toHaveLength(1);
  });

  it('flags an image that looks like a hero published today', async () => {
    const core = await boot({ providers: { premium: openai() }, tiers: { regular: { providers: ['premium'] } }, scorers: [vision()] }, [
      record('recE1', { Headline: 'Lighthouse repainted' }),
    ]);
    await waitFor(async () => (await card(core, 'recE1'))?.status === 'generated', 20_000);
    expect((await card(core, 'recE1'))?.flags).not.toContain('near_duplicate');
    await call(core, 'approve', { articleId: 'recE1' });
    await waitFor(async () => (await card(core, 'recE1'))?.status === 'published', 20_000); // after the 5 s undo window
    // the same story filed twice makes the same picture
    const { recordId } = await call<{ recordId: string }>(core, 'addDemoArticle', {
      headline: 'Lighthouse repainted',
      summary: 'Residents gathered at the harbour.',
      section: 'Local',
    });
    await waitFor(async () => (await card(core, recordId))?.status === 'generated', 20_000);
    const second = (await card(core, recordId))!;
    expect(second.flags).toContain('near_duplicate');
    expect(second.scoreReason).toContain('recE1');
  });
});
