// A real core against the fake OpenAI server (images and the vision scorer), started fresh for each
// test: the setup the pipeline tests share. Call `useOpenAICore()` once at the top of a test file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../openai/fake-openai-server.ts';
import { tempDirs } from './temp.ts';

export type DemoRecord = { recordId: string; fields: Record<string, unknown> };

export function useOpenAICore() {
  const dirs = tempDirs();
  const cores: RunningCore[] = [];
  let fake: FakeOpenAI | null = null;
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.stop();
    await fake?.stop();
    dirs.cleanup();
  });

  /** A core on `dataDir` as it is (its config and datasheet already written), with the fake's key. */
  async function start(dataDir: string): Promise<RunningCore> {
    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: (name) => (name === 'openai' ? fake!.apiKey : undefined) },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
    });
    cores.push(core);
    return core;
  }

  /** Writes the demo datasheet and a config (polled every 200 ms unless it says otherwise), then starts. */
  async function boot(config: Record<string, unknown>, records: DemoRecord[], dataDir = dirs.make()): Promise<RunningCore> {
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
    writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify({ pollIntervalMs: 200, ...config }));
    return start(dataDir);
  }

  /** Stops a core before the test ends (a restart); afterEach stops the rest. */
  async function stop(core: RunningCore): Promise<void> {
    cores.splice(cores.indexOf(core), 1);
    await core.stop();
  }

  return {
    dirs,
    start,
    boot,
    stop,
    /** This test's fake OpenAI server. */
    get fake(): FakeOpenAI {
      if (!fake) throw new Error('the fake OpenAI server starts in beforeEach');
      return fake;
    },
  };
}

/** A command's value; a refusal throws with its code and message. */
export async function call<T>(core: RunningCore, name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** One story's card as the board's snapshot has it. */
export async function cardOf(core: RunningCore, id: string): Promise<Card | undefined> {
  return (await call<{ cards: Card[] }>(core, 'snapshot')).cards.find((c) => c.articleId === id);
}
