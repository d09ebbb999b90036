// Disclosure beyond the file: the AITable record gets the alt text, the credit line and the AI
// label (fields configurable), and an editor's reason for approving over a failed safety check.
// The card's history carries model, seed, prompt and cost of every attempt.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { DEFAULT_FIELDS, startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const stop of stops.splice(0)) await stop();
  dirs.cleanup();
});

const EXTRA_FIELDS = [
  { id: 'fldCredit0001', name: 'Credit', type: 'Text' },
  { id: 'fldAiLabel001', name: 'AI label', type: 'SingleSelect', property: { options: [] } },
  { id: 'fldSafety0001', name: 'Safety note', type: 'Text' },
];

async function boot(fusion: FakeFusion, extra: Record<string, unknown>, secrets: Record<string, string>) {
  const dataDir = dirs.make();
  writeFileSync(
    join(dataDir, 'hero-desk.config.json'),
    JSON.stringify({
      site: 'The Harbour Herald',
      source: {
        type: 'aitable',
        baseUrl: fusion.baseUrl,
        datasheetId: fusion.datasheetId,
        pollIntervalMs: 500,
        writeBack: {
          enabled: true,
          flushDelayMs: 20,
          fields: { altText: 'Alt text', credit: 'Credit', aiLabel: 'AI label', safetyOverride: 'Safety note' },
          aiLabels: { ai: 'AI-generated image', notAi: 'Not AI' },
        },
        retry: { retries: 4, minTimeoutMs: 5, maxTimeoutMs: 40 },
      },
      publishRetry: { baseMs: 50, capMs: 500 },
      approveUndoSeconds: 0,
      ...extra,
    }),
  );
  const all: Record<string, string> = { aitable: 'test-token', ...secrets };
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: (n) => all[n] },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return core;
}

async function card(core: RunningCore, id: string): Promise<Card | undefined> {
  const result = await core.dispatch('snapshot', {});
  return result.ok ? (result.value as { cards: Card[] }).cards.find((c) => c.articleId === id) : undefined;
}

describe('disclosure in the AITable record', () => {
  it('writes the credit line, the AI label and the safety override reason; the card shows model, seed, prompt and cost per attempt', async () => {
    const fusion = await startFakeFusionServer({ fields: [...DEFAULT_FIELDS, ...EXTRA_FIELDS] });
    stops.push(() => fusion.close());
    const openai: FakeOpenAI = await startFakeOpenAI();
    stops.push(() => openai.stop());
    openai.queueScores({
      score: 9,
      reason: 'A clear likeness of the harbour master.',
      flags: ['identifiable_person'],
      description: 'The harbour master on the quay at dawn',
    });
    const recordId = fusion.addRecord({
      Headline: 'Harbour master retires after 30 years',
      Summary: 'A farewell on the quay.',
      Section: 'Local',
    });
    const core = await boot(
      fusion,
      {
        providers: { premium: { type: 'openai', baseURL: openai.baseURL, model: 'gpt-image-2' } },
        tiers: { regular: { providers: ['premium'], maxRegenerations: 0 } },
        scorers: [{ type: 'openai-vision', baseURL: openai.baseURL }],
      },
      { openai: openai.apiKey },
    );
    await waitFor(() => fusion.cellsOf(recordId)['Image status'] === 'Generated', 20_000, 'generated written back');
    const cells = fusion.cellsOf(recordId);
    expect(cells['AI label']).toBe('AI-generated image');
    expect(cells['Credit']).toMatch(/^Illustration: AI-generated with .+, The Harbour Herald$/);
    expect(cells['Alt text']).toBe('The harbour master on the quay at dawn');
    expect(cells['Safety note']).toBeUndefined();

    const story = (await card(core, recordId))!;
    const made = story.history.find((h) => h.step === 'generate')!;
    expect(made.model).not.toBe('');
    expect(made.seed).toEqual(expect.any(Number));
    expect(made.prompt).toContain('Harbour master');
    expect(made.costUsd).toBeGreaterThan(0);
    const check = story.history.find((h) => h.step === 'score')!;
    expect(check).toMatchObject({ provider: 'openai-vision', prompt: null, seed: null });

    const reason = 'Consent on file; the picture desk cleared it';
    expect((await core.dispatch('approve', { articleId: recordId, overrideReason: reason })).ok).toBe(true);
    await waitFor(() => fusion.cellsOf(recordId)['Image status'] === 'Published', 20_000, 'published written back');
    expect(fusion.cellsOf(recordId)['Safety note']).toBe(reason);
    expect(fusion.cellsOf(recordId)['AI label']).toBe('AI-generated image');
  });

  it('labels a title card as not AI, with the site in its credit', async () => {
    const fusion = await startFakeFusionServer({ fields: [...DEFAULT_FIELDS, ...EXTRA_FIELDS] });
    stops.push(() => fusion.close());
    const recordId = fusion.addRecord({ Headline: 'Tide tables for December', Summary: 'Times for the month.', Section: 'Local' });
    await boot(fusion, {}, {});
    await waitFor(() => fusion.cellsOf(recordId)['Image status'] === 'Generated', 20_000, 'generated written back');
    expect(fusion.cellsOf(recordId)['AI label']).toBe('Not AI');
    expect(fusion.cellsOf(recordId)['Credit']).toBe('Illustration: The Harbour Herald');
  });
});
