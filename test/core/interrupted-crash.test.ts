// A provider call cut off by a real crash: Hero Desk is SIGKILLed while the image provider is still
// working on a call; the next start finds the call begun and never finished, marks it interrupted,
// counts its estimated cost in the ledger, and the story still gets its image.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const children: ReturnType<typeof spawn>[] = [];
let core: RunningCore | null = null;
let fake: FakeOpenAI | null = null;
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await core?.stop();
  await fake?.stop();
  core = null;
  fake = null;
  dirs.cleanup();
});

describe('a provider call cut off by a crash', () => {
  it('is counted at its estimate and marked interrupted after a SIGKILL mid-call; the story still gets its image', async () => {
    fake = await startFakeOpenAI();
    fake.script('images', { kind: 'slow', delayMs: 120_000 }); // the first call never answers in time
    const dataDir = dirs.make();
    writeFileSync(
      join(dataDir, 'demo-datasheet.json'),
      JSON.stringify({
        records: [{ recordId: 'recK1', fields: { Headline: 'Harbour crane collapses', Summary: 'No one was hurt.', Section: 'Local' } }],
      }),
    );
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        leaseSeconds: 1,
        providers: { premium: { type: 'openai', baseURL: fake.baseURL, model: 'gpt-image-2' } },
        tiers: { regular: { providers: ['premium'] } },
        scorers: [{ type: 'local' }],
      }),
    );
    const child = spawn(
      process.execPath,
      [CLI, 'start', '--data-dir', dataDir, '--board-port', '0', '--media-port', '0', '--relay-port', '0', '--json-logs'],
      {
        stdio: 'ignore',
        env: { ...process.env, HERO_DESK_SECRET_OPENAI: fake.apiKey },
      },
    );
    children.push(child);
    await waitFor(() => fake!.requests.some((r) => r.path.endsWith('/images/generations')), 30_000, 'the image call is under way');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: (name) => (name === 'openai' ? fake!.apiKey : undefined) },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
    });
    const call = async <T>(name: string, input: unknown = {}) => {
      const result = await core!.dispatch(name, input);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    const story = async () => (await call<{ cards: Card[] }>('snapshot')).cards.find((c) => c.articleId === 'recK1');
    await waitFor(async () => (await story())?.status === 'generated', 30_000, 'image made after the restart');
    const history = (await story())!.history;
    const interrupted = history.filter((h) => h.outcome === 'interrupted');
    expect(interrupted).toHaveLength(1);
    // gpt-image-2 medium at 1792×1024: about $0.056, counted although the call never answered
    expect(interrupted[0]!.costUsd).toBeGreaterThan(0.05);
    expect(interrupted[0]!.costUsd).toBeLessThan(0.06);
    expect(history.some((h) => h.outcome === 'running')).toBe(false);
    const ledger = await call<Ledger>('ledger');
    expect(ledger.interrupted).toEqual({ calls: 1, costUsd: interrupted[0]!.costUsd });
    expect(ledger.totalUsd).toBeGreaterThan(interrupted[0]!.costUsd); // plus the call that made the image
  }, 90_000);
});
