// Newsroom desk (issue 13): one editor approves, how long until the other editor's board hears of it.
// A real board core (SQLite), the real bridge with two accounts; Maria approves over HTTP (with the
// revision her board saw), Kim's event socket waits for the approved card. Baseline, same run: a bare
// `ws` broadcast (POST in, the same frame out), the least any such server can do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { startHttpBridge } from '../electron/bridge/http-bridge.ts';
import { addAccount } from '../electron/core/accounts/accounts.ts';
import type { HeroEvent } from '../shared/contract.ts';
import type { Card } from '../shared/domain.ts';
import { createBoardCore } from '../test/helpers/board-core.ts';
import { startBareBroadcast } from './bare-ws-broadcast.ts';
import { isShort, percentile, report } from './report.ts';
import { frameText } from '../test/helpers/frames.ts';

async function openSocket(url: string, onMessage: (text: string) => void): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on('message', (data) => onMessage(frameText(data)));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return ws;
}

async function deskLatencies(stories: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hd-bench-desk-'));
  const board = createBoardCore(dir);
  const bridge = await startHttpBridge({ core: board.core, rendererDir: dir, logger: pino({ level: 'silent' }) });
  try {
    for (let i = 0; i < stories; i++) board.addStory({ id: `rec-${i}`, status: 'generated' });
    const maria = await addAccount(board.store, 'Maria', 'editor');
    const kim = await addAccount(board.store, 'Kim', 'editor');
    const waiting = new Map<string, () => void>();
    const kimBoard = await openSocket(
      `ws://127.0.0.1:${bridge.port}/api/events?token=${encodeURIComponent(kim.token)}&session=bench-kim-01`,
      (text) => {
        const event = JSON.parse(text) as HeroEvent;
        if (event.type === 'card' && event.card.status === 'approved') waiting.get(event.card.articleId)?.();
      },
    );
    const post = (name: string, input: unknown) =>
      fetch(`http://127.0.0.1:${bridge.port}/api/commands/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${maria.token}` },
        body: JSON.stringify(input),
      }).then((r) => r.json() as Promise<{ ok: boolean; value: unknown }>);
    const snapshot = (await post('snapshot', {})).value as { cards: Card[] };
    const revisions = new Map(snapshot.cards.map((card) => [card.articleId, card.revision]));
    const latencies: number[] = [];
    for (let i = 0; i < stories; i++) {
      const id = `rec-${i}`;
      const started = performance.now();
      const heard = new Promise<void>((resolve) => waiting.set(id, resolve));
      const answer = await post('approve', { articleId: id, expectedRevision: revisions.get(id) });
      if (!answer.ok) throw new Error(`approve ${id} failed: ${JSON.stringify(answer)}`);
      await heard;
      latencies.push(performance.now() - started);
    }
    kimBoard.terminate();
    return latencies;
  } finally {
    await bridge.stop();
    board.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bareLatencies(rounds: number): Promise<number[]> {
  const target = await startBareBroadcast();
  try {
    const waiting = new Map<number, () => void>();
    const reader = await openSocket(target.wsUrl, (text) => waiting.get((JSON.parse(text) as { message: { n: number } }).message.n)?.());
    const latencies: number[] = [];
    for (let n = 0; n < rounds; n++) {
      const started = performance.now();
      const heard = new Promise<void>((resolve) => waiting.set(n, resolve));
      await fetch(`${target.url}/publish`, { method: 'POST', body: JSON.stringify({ n }) }).then((r) => r.text());
      await heard;
      latencies.push(performance.now() - started);
    }
    reader.terminate();
    return latencies;
  } finally {
    await target.stop();
  }
}

export async function main(): Promise<void> {
  const stories = isShort() ? 50 : 300;
  const desk = (await deskLatencies(stories)).sort((a, b) => a - b);
  const bare = (await bareLatencies(stories)).sort((a, b) => a - b);
  for (const p of [50, 95]) {
    report({
      name: `approve on one board → the other board hears it, p${p} (${stories} approvals)`,
      unit: 'ms',
      project: percentile(desk, p),
      baseline: percentile(bare, p),
      baselineName: 'bare ws broadcast',
      higherIsBetter: false,
      ...(p === 95 ? { target: { text: 'p95 < 500 ms', met: percentile(desk, 95) < 500 } } : {}),
    });
  }
}
