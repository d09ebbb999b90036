// Suggestions used (issue 11): an editor's Regenerate without an edited prompt sends the scorer's
// latest revised prompt, and the card's history says which prompt each attempt sent. Real core,
// fake OpenAI server (images + vision scorer).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const dirs = tempDirs();
let fake: FakeOpenAI;
const cores: RunningCore[] = [];
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  await fake.stop();
  dirs.cleanup();
});

const SUGGESTION = 'A lighthouse keeper climbing the spiral stair at dusk, lamp lit';

async function boot() {
  const dataDir = dirs.make();
  const records = [{ recordId: 'recLight', fields: { Headline: 'Lighthouse keeper retires after 40 years', Summary: 'The last keeper hands over the keys.', Section: 'Local' } }];
  writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
  const config = {
    pollIntervalMs: 200,
    providers: { premium: { type: 'openai', baseURL: fake.baseURL, model: 'gpt-image-2' } },
    tiers: { regular: { providers: ['premium'], minScore: 7, maxRegenerations: 0 } },
    scorers: [{ type: 'openai-vision', baseURL: fake.baseURL }],
  };
  writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify(config));
  const core = await startCore({ dataDir, transport: 'web', secrets: { get: (name) => (name === 'openai' ? fake.apiKey : undefined) }, logger: silentLogger(), mediaPort: 0, relayPort: 0 });
  cores.push(core);
  return core;
}

async function call<T>(core: RunningCore, name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function card(core: RunningCore): Promise<Card | undefined> {
  return (await call<{ cards: Card[] }>(core, 'snapshot')).cards.find((c) => c.articleId === 'recLight');
}

const generationPrompts = () => fake.requests.filter((r) => r.path.endsWith('/images/generations')).map((r) => String((r.body as { prompt: string }).prompt));

describe('Regenerate takes the scorer’s advice', () => {
  it('without an edited prompt, the provider receives the latest revised prompt; the history shows each prompt', async () => {
    fake.queueScores({ score: 4, reason: 'A generic coast, no keeper.', revised_prompt: SUGGESTION });
    const core = await boot();
    const first = await waitFor(async () => {
      const c = await card(core);
      return c?.status === 'generated' ? c : undefined;
    }, 20_000, 'first image');
    expect(first.flags).toContain('low_score'); // no regenerations allowed: the suggestion is only stored
    expect(generationPrompts()).toHaveLength(1);
    expect(generationPrompts()[0]).not.toContain(SUGGESTION);

    await call(core, 'regenerate', { articleId: 'recLight' }); // no prompt given
    const second = await waitFor(async () => {
      const c = await card(core);
      return c?.status === 'generated' && c.attempts === 2 ? c : undefined;
    }, 20_000, 'regenerated image');
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
    fake.queueScores({ score: 4, reason: 'A generic coast, no keeper.', revised_prompt: SUGGESTION });
    const core = await boot();
    await waitFor(async () => (await card(core))?.status === 'generated', 20_000, 'first image');
    await call(core, 'setPrompt', { articleId: 'recLight', prompt: 'Keys handed over on the lighthouse gallery' });
    await call(core, 'regenerate', { articleId: 'recLight' });
    await waitFor(async () => (await card(core))?.attempts === 2 && (await card(core))?.status === 'generated', 20_000, 'regenerated');
    expect(generationPrompts()[1]).toContain('Keys handed over on the lighthouse gallery');
    expect(generationPrompts()[1]).not.toContain(SUGGESTION);
  }, 40_000);
});
