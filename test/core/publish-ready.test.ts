// Publish-ready before approval: a card waiting for review already has its web variants uploaded,
// so the approval only writes the outbox row and the publisher sends what was made before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { readerFrame, type ReaderFrame } from '../helpers/frames.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

/** The current image's variant keys and recipe, read from the data file as another process would. */
function preparedVariants(dataDir: string, articleId: string): { variants: Record<string, string>; madeWith: string | null } {
  const db = new DatabaseSync(join(dataDir, 'hero-desk.db'), { readOnly: true });
  try {
    const row = db
      .prepare('SELECT i.variants, i.variants_made_with FROM articles a JOIN images i ON i.id = a.current_image_id WHERE a.id = ?')
      .get(articleId) as { variants: string; variants_made_with: string | null } | undefined;
    return { variants: row ? (JSON.parse(row.variants) as Record<string, string>) : {}, madeWith: row?.variants_made_with ?? null };
  } finally {
    db.close();
  }
}

describe('publish-ready', () => {
  it('uploads the variants while the card waits for review; the approval sends those, at once', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify({ approveUndoSeconds: 0 }));
    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: () => undefined },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
      prepareBeforeApproval: true,
    });
    cores.push(core);
    const prepared = await waitFor(
      () => {
        const found = preparedVariants(dataDir, 'recDemo002');
        return Object.keys(found.variants).length === 11 && found.madeWith !== null ? found : null;
      },
      60_000,
      'variants made before approval',
    );
    expect(Object.values(prepared.variants).every((key) => key.startsWith('heroes/'))).toBe(true);

    const frames: ReaderFrame[] = [];
    const reader = new WebSocket(`${core.readerUrl!.replace('http', 'ws').replace('/reader', '')}/ws`);
    sockets.push(reader);
    reader.on('message', (data) => frames.push(readerFrame(data)));
    await new Promise((resolve) => reader.once('open', resolve));

    const approved = await core.dispatch('approve', { articleId: 'recDemo002' });
    expect(approved.ok).toBe(true);
    const frame = await waitFor(
      () => frames.find((f) => f.type === 'article' && f.message?.articleId === 'recDemo002'),
      30_000,
      'reader frame',
    );
    // nothing was encoded after the click: the message names exactly the variants made before it
    const sent = Object.values(frame.message!.variants ?? {});
    expect(sent).toHaveLength(11);
    for (const key of Object.values(prepared.variants)) expect(sent.some((url) => url.endsWith(key))).toBe(true);
    expect(preparedVariants(dataDir, 'recDemo002')).toEqual(prepared);
    const heroUrl = frame.message!.imageUrl;
    expect(heroUrl).toMatch(/^http/);
    const hero = await fetch(heroUrl!);
    expect(hero.headers.get('content-type')).toBe('image/webp');
  }, 120_000); // 12 demo stories are generated and prepared first: minutes on a loaded 2-core machine
});
