// Suggestions used (issue 11): an editor's Regenerate without an edited prompt sends the scorer's
// latest revised prompt, and the card's history says which prompt each attempt sent. Real core,
// fake OpenAI server (images + vision scorer).
import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { type RunningCore } from '../../electron/core/index.ts';
import { waitFor } from '../helpers/temp.ts';
import { call, cardOf, useOpenAICore } from '../helpers/openai-core.ts';

const desk = useOpenAICore();
const { dirs } = desk;

const SUGGESTION = 'A lighthouse keeper climbing the spiral stair at dusk, lamp lit';

async function boot() {
  const dataDir = dirs.make();
  const records = [
    {
      recordId: 'recLight',
      fields: { Headline: 'Lighthouse keeper retires after 40 years', Summary: 'The last keeper hands over the keys.', Section: 'Local' },
    },
  ];
  const config = {
    providers: { premium: { type: 'openai', baseURL: desk.fake.baseURL, model: 'gpt-image-2' } },
    tiers: { regular: { providers: ['premium'], minScore: 7, maxRegenerations: 0 } },
    scorers: [{ type: 'openai-vision', baseURL: desk.fake.baseURL }],
  };
  return desk.boot(config, records, dataDir);
}

async function card(core: RunningCore): Promise<Card | undefined> {
  return cardOf(core, 'recLight');
}

const generationPrompts = () =>
  desk.fake.requests.filter((r) => r.path.endsWith('/images/generations')).map((r) => String((r.body as { prompt: string }).prompt));

describe('Regenerate takes the scorer’s advice', () => {
  it('without an edited prompt, the provider receives the latest revised prompt; the history shows each prompt', async () => {
    desk.fake.queueScores({ score: 4, reason: 'A generic coast, no keeper.', revised_prompt: SUGGESTION });
    const core = await boot();
    const first = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'generated' ? c : undefined;
      },
      20_000,
      'first image',
    );
    expect(first.flags).toContain('low_score'); // no regenerations allowed: the suggestion is only stored
    expect(generationPrompts()).toHaveLength(1);
    expect(generationPrompts()[0]).not.toContain(SUGGESTION);

    await call(core, 'regenerate', { articleId: 'recLight' }); // no prompt given
    const second = await waitFor(
      async () => {
        const c = await card(core);
        return c?.status === 'generated' && c.attempts === 2 ? c : undefined;
      },
      20_000,
      'regenerated image',
    );
    expect(generationPrompts()).toHaveLength(2);
    expect(generationPrompts()[1]).toContain(SUGGESTION); // through the prompt builder (house style, policy)
    expect(second.promptOverride).toBe(SUGGESTION);

    const generated = second.history.filter((h) => h.prompt);
    expect(generated).toHaveLength(2);
    // the provider adds the negative prompt after it (OpenAI has no separate field)
    expect(generationPrompts()[0]?.startsWith(generated[0]!.prompt!)).toBe(true);
    expect(generationPrompts()[1]?.startsWith(generated[1]!.prompt!)).toBe(true);
    expect(generated[1]?.prompt).toContain(SUGGESTION);
    expect(second.history.filter((h) => h.provider === 'openai-vision').every((h) => h.prompt === null)).toBe(true);
  }, 40_000);

  it('an editor’s own edit made after the suggestion wins over it', async () => {
    desk.fake.queueScores({ score: 4, reason: 'A generic coast, no keeper.', revised_prompt: SUGGESTION });
    const core = await boot();
    await waitFor(async () => (await card(core))?.status === 'generated', 20_000, 'first image');
    await call(core, 'setPrompt', { articleId: 'recLight', prompt: 'Keys handed over on the lighthouse gallery' });
    await call(core, 'regenerate', { articleId: 'recLight' });
    await waitFor(async () => (await card(core))?.attempts === 2 && (await card(core))?.status === 'generated', 20_000, 'regenerated');
    expect(generationPrompts()[1]).toContain('Keys handed over on the lighthouse gallery');
    expect(generationPrompts()[1]).not.toContain(SUGGESTION);
  }, 40_000);
});
