// Provider error bodies are stored with anything key-like removed: in attempts, jobs, articles,
// notices, problems and the event log. Realistic bodies: an OpenAI 401 echoing part of the key,
// a Bearer token a proxy echoed, an api_key=… query string in a failed URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { insertArticle, transition, updateArticle } from '../../electron/core/store/articles.ts';
import { recordAttempt } from '../../electron/core/store/attempts.ts';
import { claimNextJob, enqueueJob, requeueJob, settleJob } from '../../electron/core/store/jobs.ts';
import { raiseProblem } from '../../electron/core/store/problems.ts';

import { tempDirs, waitFor } from '../helpers/temp.ts';
import { testStore } from '../helpers/test-store.ts';

const dirs = tempDirs();
const servers: Server[] = [];
const cores: RunningCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  dirs.cleanup();
});

const OPENAI_401 =
  'openai: HTTP 401 {"error":{"message":"Incorrect API key provided: sk-proj-Ab12Cd34Ef56********************************Wx9z. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}';
const BEARER =
  'gateway: HTTP 401 invalid credentials in header "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuZXdzcm9vbSJ9.c2lnbmF0dXJl"';
const QUERY = 'images: GET https://api.example-images.com/v1/generate?api_key=AbCdEf0123456789GhIj&size=1024 failed: HTTP 403 Forbidden';
const FRAGMENTS = ['Ab12Cd34', 'Wx9z', 'eyJhbGciOiJIUzI1NiJ9', 'c2lnbmF0dXJl', 'AbCdEf0123456789GhIj'];

/** Every text column that can carry provider words, and the whole event log. */
function storedText(db: { all<T>(sql: string): T[] }): string {
  const rows = [
    ...db.all<{ t: string | null }>('SELECT error AS t FROM attempts'),
    ...db.all<{ t: string | null }>('SELECT last_error AS t FROM jobs'),
    ...db.all<{ t: string | null }>('SELECT last_error AS t FROM articles'),
    ...db.all<{ t: string | null }>('SELECT detail AS t FROM events'),
    ...db.all<{ t: string | null }>("SELECT message || ' ' || COALESCE(action, '') AS t FROM problems"),
  ];
  return rows.map((row) => row.t ?? '').join('\n');
}

function expectRedacted(text: string) {
  for (const fragment of FRAGMENTS) expect(text).not.toContain(fragment);
  expect(text).toContain('[redacted]');
  // what helps the editor stays
  expect(text).toContain('Incorrect API key provided');
  expect(text).toContain('https://api.example-images.com/v1/generate?api_key=');
}

describe('provider text at the storage boundary', () => {
  it('is redacted in attempts, jobs, articles, notices, problems and events', () => {
    const store = testStore(join(dirs.make(), 'hero-desk.db'));
    store.transaction(() => {
      insertArticle(store, {
        id: 'a1',
        source: 'test',
        headline: 'h',
        summary: '',
        section: 'Local',
        storyType: null,
        breaking: false,
        contentHash: 'a1',
        tier: 'regular',
        prompt: 'p',
        promptOverride: null,
        policy: null,
      });
      enqueueJob(store, { kind: 'generate', lane: 'regular', articleId: 'a1', priority: 10, deadlineAt: null, maxAttempts: 3 });
    });
    const base = {
      articleId: 'a1',
      lane: 'regular',
      step: 'generate' as const,
      provider: 'openai',
      model: null,
      prompt: 'p',
      seed: null,
      startedAt: store.now(),
      costUsd: 0,
    };
    const job = claimNextJob(store, 'regular', 'w1', 30_000)!;
    recordAttempt(store, { ...base, jobId: job.id, outcome: 'error', error: OPENAI_401 });
    store.transaction(() =>
      requeueJob(store, job, 'w1', { lane: 'regular', runAfter: 0, deadlineAt: null, attempts: 'keep', error: BEARER }),
    );
    const again = claimNextJob(store, 'regular', 'w1', 30_000)!;
    store.transaction(() => {
      settleJob(store, again, 'w1', { status: 'failed', error: QUERY });
      transition(store, 'a1', 'generating');
      transition(store, 'a1', 'failed', OPENAI_401);
      updateArticle(store, 'a1', { last_error: BEARER }, 'error');
    });
    store.notice('error', `No image for “h”: ${QUERY}`, 'a1');
    raiseProblem(store, { id: 'key:openai', area: 'key', level: 'error', message: OPENAI_401, action: `check ${QUERY}` });
    expectRedacted(storedText(store.db));
    store.close();
  });

  it('is redacted when a real provider answers with such bodies, all the way to the card', async () => {
    let calls = 0;
    const server = createServer((_req, res) => {
      calls += 1;
      const body = calls % 2 === 1 ? { detail: OPENAI_401 } : { error: BEARER, detail: QUERY };
      res.writeHead(calls % 2 === 1 ? 401 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dataDir = dirs.make();
    const tier = { providers: ['proxied'], maxAttempts: 1, maxRegenerations: 0 };
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        providers: { proxied: { type: 'automatic1111', baseUrl } },
        tiers: { breaking: tier, regular: tier, default: tier },
      }),
    );
    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: { get: () => undefined },
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
    });
    cores.push(core);
    const cards = async () => {
      const result = await core.dispatch('snapshot', {});
      return result.ok ? (result.value as { cards: Card[] }).cards : [];
    };
    await waitFor(
      async () => (await cards()).length === 12 && (await cards()).every((c) => c.status === 'failed'),
      60_000,
      '12 failed cards',
    );
    const shown = JSON.stringify(await cards());
    for (const fragment of FRAGMENTS) expect(shown).not.toContain(fragment);
    await core.stop();
    cores.splice(0);
    const db = new DatabaseSync(join(dataDir, 'hero-desk.db'));
    const text = storedText({ all: <T>(sql: string) => db.prepare(sql).all() as T[] });
    db.close();
    for (const fragment of FRAGMENTS) expect(text).not.toContain(fragment);
    expect(text).toContain('Incorrect API key provided: sk-[redacted]');
  }, 90_000);
});
