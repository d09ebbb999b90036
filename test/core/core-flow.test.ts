// The real core on a temp data dir with embedded defaults: demo articles become images, an
// editor's commands move them, approval reaches a real WebSocket reader through the relay.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { ConfigError } from '../../electron/core/settings/config-load.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { readerFrame, type ReaderFrame } from '../helpers/frames.ts';
import { readDemoSheet } from '../helpers/demo-sheet.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

async function boot(dataDir = dirs.make(), extra: Partial<Parameters<typeof startCore>[0]> = {}) {
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
    ...extra,
  });
  cores.push(core);
  return core;
}

async function call<T = unknown>(core: RunningCore, name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function cards(core: RunningCore): Promise<Card[]> {
  return (await call<{ cards: Card[] }>(core, 'snapshot')).cards;
}

async function card(core: RunningCore, id: string): Promise<Card | undefined> {
  return (await cards(core)).find((c) => c.articleId === id);
}

describe('core on embedded defaults', () => {
  it('turns every demo article into a scored title card awaiting review, driven by events', async () => {
    const core = await boot();
    const events: HeroEvent[] = [];
    core.onEvent((event) => events.push(event));
    await waitFor(async () => (await cards(core)).filter((c) => c.status === 'generated').length === 12, 20_000, '12 generated cards');
    const all = await cards(core);
    for (const c of all) {
      expect(c.image?.provider).toBe('title-card');
      expect(c.image?.width).toBe(1792);
      expect(c.image?.height).toBe(1024);
      expect(c.score).toBeGreaterThanOrEqual(7);
      expect(c.history.map((h) => h.outcome)).toEqual(['ok', 'ok']); // one generate, one score
    }
    expect(all.filter((c) => c.tier === 'breaking').map((c) => c.breaking)).toEqual([true, true]);
    const image = await fetch(all[0]!.image!.url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toContain('immutable');
    const generatedEvents = events.filter((e) => e.type === 'card' && e.card.status === 'generated');
    expect(generatedEvents.length).toBeGreaterThanOrEqual(12);
  });

  it('publishes an approved image to a reader on the relay, once, and rejects illegal moves', async () => {
    const core = await boot();
    await waitFor(async () => (await card(core, 'recDemo002'))?.status === 'generated', 20_000);
    const frames: ReaderFrame[] = [];
    const reader = new WebSocket(`${core.readerUrl!.replace('http', 'ws').replace('/reader', '')}/ws`);
    sockets.push(reader);
    reader.on('message', (data) => frames.push(readerFrame(data)));
    await new Promise((resolve) => reader.once('open', resolve));

    await call(core, 'approve', { articleId: 'recDemo002' });
    const again = await core.dispatch('approve', { articleId: 'recDemo002' });
    expect(again).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
    // a regular story's approval first waits out its 5 s undo window (approveUndoSeconds)
    await waitFor(async () => (await card(core, 'recDemo002'))?.status === 'published', 20_000, 'published');
    await waitFor(() => frames.some((f) => f.type === 'article'), 5_000, 'reader frame');
    const published = await card(core, 'recDemo002');
    const articles = frames.filter((f) => f.type === 'article');
    expect(articles).toHaveLength(1);
    expect(published?.image?.publishedUrl).toMatch(/hero\.webp$/);
    expect(articles[0]?.message).toMatchObject({ articleId: 'recDemo002', version: 1, imageUrl: published?.image?.publishedUrl });
    const hero = await fetch(published!.image!.publishedUrl!);
    expect(hero.headers.get('content-type')).toBe('image/webp');
  });

  it('regenerates with an edited prompt and keeps the prompt on the card', async () => {
    const core = await boot();
    await waitFor(async () => (await card(core, 'recDemo003'))?.status === 'generated', 20_000);
    const before = await card(core, 'recDemo003');
    await call(core, 'regenerate', { articleId: 'recDemo003', prompt: 'A quiet library at dusk, warm lamps' });
    await waitFor(async () => {
      const c = await card(core, 'recDemo003');
      return c?.status === 'generated' && c.image?.contentHash !== before?.image?.contentHash;
    }, 20_000);
    const after = await card(core, 'recDemo003');
    expect(after?.promptOverride).toBe('A quiet library at dusk, warm lamps');
    expect(after?.prompt).toContain('A quiet library at dusk, warm lamps'); // wrapped in house style and policy
    expect(after?.attempts).toBe(2);
  });

  it('validates command input against the shared contract', async () => {
    const core = await boot();
    expect(await core.dispatch('approve', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch('approve', { articleId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await core.dispatch('launchMissiles', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('picks up a story appended to the datasheet while running, and reports a malformed record without losing others', async () => {
    const dataDir = dirs.make();
    const core = await boot(dataDir);
    const notices: string[] = [];
    core.onEvent((event) => event.type === 'notice' && notices.push(event.message));
    const path = join(dataDir, 'demo-datasheet.json');
    await waitFor(async () => (await cards(core)).length === 12, 10_000);
    const sheet = readDemoSheet(path);
    sheet.records.push({ recordId: 'recBad', fields: { Summary: 'no headline' } });
    sheet.records.push({ recordId: 'recNew', fields: { Headline: 'Ferry timetable changes from Monday', Section: 'Local' } });
    writeFileSync(path, JSON.stringify(sheet));
    await waitFor(async () => (await card(core, 'recNew'))?.status === 'generated', 20_000, 'new record generated');
    expect(await card(core, 'recBad')).toBeUndefined();
    expect(notices.some((n) => n.includes('recBad') && n.includes('Headline'))).toBe(true);
  });

  it('survives a restart: the same data dir keeps its cards and does not redo them', async () => {
    const dataDir = dirs.make();
    const first = await boot(dataDir);
    await waitFor(async () => (await cards(first)).filter((c) => c.status === 'generated').length === 12, 20_000);
    await first.stop();
    cores.splice(cores.indexOf(first), 1);
    const second = await boot(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await cards(second);
    expect(again).toHaveLength(12);
    expect(again.every((c) => c.attempts === 1)).toBe(true);
  });

  it('refuses a corrupt config with a clear error and starts nothing', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'hero-desk.config.json'), '{ "tiers": { "breaking": { "concurrency": "lots" } } ');
    await expect(boot(dataDir)).rejects.toThrow(ConfigError);
    writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify({ tiers: { breaking: { providers: ['nope'] } } }));
    await expect(boot(dataDir)).rejects.toThrow('tiers.breaking.providers[0]: "nope" is not in providers');
  });

  it('auto-approves and publishes unattended when asked', async () => {
    const dataDir = dirs.make();
    const records = [1, 2, 3].map((n) => ({ recordId: `recAuto${n}`, fields: { Headline: `Unattended story ${n}`, Section: 'Local' } }));
    writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
    const core = await boot(dataDir, { autoApproveMinScore: 7 });
    await waitFor(async () => (await cards(core)).filter((c) => c.status === 'published').length === 3, 60_000, 'all published');
    const history = (await cards(core))[0]!;
    expect(history.version).toBe(1);
  }, 90_000);
});
