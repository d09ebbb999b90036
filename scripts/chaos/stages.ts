// One probe per pipeline stage: it watches for that stage to be in progress (the AITable fake's
// requests, the image fake's calls, files appearing in storage, publications passing the relay
// tap) and then kills Hero Desk after a short random delay, or at the worst moment it can hold.
import { watch } from 'node:fs';
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import type { FakeA1111 } from '../../test/providers/fakes/automatic1111.ts';
import type { Random } from './random.ts';
import { between } from './random.ts';
import type { RelayTap } from './relay-tap.ts';
import type { Stage } from './schedule.ts';
import { glance } from './store-reader.ts';

export interface ProbeContext {
  fake: FakeFusion;
  a1111: FakeA1111;
  tap: RelayTap;
  mediaDir: string;
  dbPath: string;
  random: Random;
  relayUp(): boolean;
  /** Takes the relay down as well (a crash of both sides). */
  relayDown(ms: number, why: string): void;
  bothChance: number;
  /** SIGKILLs Hero Desk (once per arming) and resolves when it is dead; `how` says what was in progress. */
  kill(how: string): Promise<void>;
}

/** Arms a probe; the returned function disarms it. */
export type Probe = (ctx: ProbeContext) => () => void;

const later = (ctx: ProbeContext, min: number, max: number, how: string) => setTimeout(() => void ctx.kill(how), between(ctx.random, min, max));

const isRecordWrite = (method: string, path: string) => ['PATCH', 'PUT'].includes(method) && path.endsWith('/records');
const isUpload = (method: string, path: string) => method === 'POST' && path.endsWith('/attachments');

const ingest: Probe = (ctx) => {
  let seen = false;
  ctx.fake.onRequest = (req) => {
    if (seen || req.method !== 'GET' || !req.path.endsWith('/records')) return;
    const known = glance(ctx.dbPath)?.statuses;
    if (!known) return;
    const unseen = ctx.fake.records.filter((r) => !known.has(r.recordId)).length;
    if (unseen === 0) return;
    seen = true;
    // mostly while the answer is being turned into articles; sometimes with the poll still in flight
    if (ctx.random() < 0.25) return ctx.kill(`poll in flight with ${unseen} new record(s) waiting`);
    ctx.fake.onResponse = (answered) => {
      if (answered !== req) return;
      ctx.fake.onResponse = null;
      later(ctx, 0, 40, `reading a poll answer with ${unseen} new record(s)`);
    };
  };
  return () => {
    ctx.fake.onRequest = null;
    ctx.fake.onResponse = null;
  };
};

const writeBack: Probe = (ctx) => {
  let seen = false;
  ctx.fake.onRequest = (req) => {
    if (seen) return;
    const upload = isUpload(req.method, req.path);
    if (!upload && !isRecordWrite(req.method, req.path)) return;
    seen = true;
    const count = (req.body as { records?: unknown[] } | null)?.records?.length ?? 0;
    const what = upload ? 'an attachment upload' : `an update of ${count} record(s)`;
    // holding the request until Hero Desk is dead: AITable applies the write, Hero Desk never hears
    if (ctx.random() < 0.5) return ctx.kill(`${what} reached AITable (applied after the kill)`);
    later(ctx, 0, 150, `${what} in flight`);
  };
  return () => {
    ctx.fake.onRequest = null;
  };
};

const generation: Probe = (ctx) => {
  ctx.a1111.onCall = () => {
    ctx.a1111.onCall = null;
    later(ctx, 50, 500, 'an image being generated');
  };
  return () => {
    ctx.a1111.onCall = null;
  };
};

const scoring: Probe = (ctx) => {
  ctx.a1111.onAnswer = () => {
    ctx.a1111.onAnswer = null;
    later(ctx, 0, 80, 'a generated image just received (decode, score, store)');
  };
  return () => {
    ctx.a1111.onAnswer = null;
  };
};

const upload: Probe = (ctx) => {
  let seen = false;
  // The disk storage writes a hidden temp file, then renames it: a temp file means a write in
  // progress. A new directory under heroes/ means the variants of a publication are being written
  // (files in a just-created directory can escape the recursive watch, so that counts too).
  const watcher = watch(ctx.mediaDir, { recursive: true }, (_event, filename) => {
    const name = filename?.replaceAll('\\', '/') ?? '';
    const newVariantDir = /^heroes\/[^/]+$/.test(name);
    if (seen || !(name.endsWith('.tmp') || newVariantDir)) return;
    seen = true;
    later(ctx, 0, 8, newVariantDir ? 'writing the web variants of a publication' : `writing ${name.split('/')[0] ?? ''}/… to storage`);
  });
  watcher.on('error', () => undefined);
  return () => watcher.close();
};

const publish: Probe = (ctx) => {
  ctx.tap.onPublish = (publication) => {
    ctx.tap.onPublish = null;
    const what = `${publication.articleId} v${publication.version}`;
    if (!ctx.relayUp() || ctx.random() < 0.4) {
      later(ctx, 0, 30, `publishing ${what}, request in flight${ctx.relayUp() ? '' : ' (relay down)'}`);
      return;
    }
    ctx.tap.beforeAnswer = async (answered) => {
      if (answered !== publication) return 'forward';
      ctx.tap.beforeAnswer = null;
      if (answered.status !== 200) {
        await ctx.kill(`publishing ${what}, the relay answered ${answered.status}`);
        return 'cut';
      }
      await ctx.kill(`the relay accepted ${what}; killed before Hero Desk heard back`);
      if (ctx.random() < ctx.bothChance) ctx.relayDown(between(ctx.random, 2_000, 6_000), `crashed together with Hero Desk after accepting ${what}`);
      return 'cut';
    };
  };
  return () => {
    ctx.tap.onPublish = null;
    ctx.tap.beforeAnswer = null;
  };
};

export const PROBES: Record<Stage, Probe> = { ingest, generation, scoring, upload, publish, 'write-back': writeBack };
