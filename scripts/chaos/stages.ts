// One probe per pipeline stage: it watches for that stage to be in progress (the AITable fake's
// requests, the image fake's calls, files appearing in storage, publications passing the relay
// tap) and then kills Hero Desk after a short random delay, or at the worst moment it can hold.
import { watch } from 'node:fs';
import type { FakeFusion } from '../../test/aitable/fake-fusion-server.ts';
import type { Hooks } from './hooks.ts';
import type { Random } from './random.ts';
import { between } from './random.ts';
import type { Stage } from './schedule.ts';
import { glance } from './store-reader.ts';

export interface ProbeContext {
  hooks: Hooks;
  fake: FakeFusion;
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

const later = (ctx: ProbeContext, min: number, max: number, how: string) =>
  setTimeout(() => void ctx.kill(how), between(ctx.random, min, max));

const isRecordWrite = (method: string, path: string) => ['PATCH', 'PUT'].includes(method) && path.endsWith('/records');
const isUpload = (method: string, path: string) => method === 'POST' && path.endsWith('/attachments');

/** Subscriptions that end together (on the first sighting, or when the probe is disarmed). */
function subscriptions() {
  const offs: (() => void)[] = [];
  return {
    add: (off: () => void) => void offs.push(off),
    end: () => offs.splice(0).forEach((off) => off()),
  };
}

const ingest: Probe = (ctx) => {
  const subs = subscriptions();
  subs.add(
    ctx.hooks.fusionRequest.on((req) => {
      if (req.method !== 'GET' || !req.path.endsWith('/records')) return;
      const known = glance(ctx.dbPath)?.statuses;
      if (!known) return;
      const unseen = ctx.fake.records.filter((r) => !known.has(r.recordId)).length;
      if (unseen === 0) return;
      subs.end();
      // mostly while the answer is being turned into articles; sometimes with the poll still in flight
      if (ctx.random() < 0.25) return ctx.kill(`poll in flight with ${unseen} new record(s) waiting`);
      const off = ctx.hooks.fusionResponse.on((answered) => {
        if (answered !== req) return;
        off();
        later(ctx, 0, 40, `reading a poll answer with ${unseen} new record(s)`);
      });
      subs.add(off);
    }),
  );
  return subs.end;
};

const writeBack: Probe = (ctx) => {
  const subs = subscriptions();
  subs.add(
    ctx.hooks.fusionRequest.on((req) => {
      const upload = isUpload(req.method, req.path);
      if (!upload && !isRecordWrite(req.method, req.path)) return;
      subs.end();
      const count = (req.body as { records?: unknown[] } | null)?.records?.length ?? 0;
      const what = upload ? 'an attachment upload' : `an update of ${count} record(s)`;
      // holding the request until Hero Desk is dead: AITable applies the write, Hero Desk never hears
      if (ctx.random() < 0.5) return ctx.kill(`${what} reached AITable (applied after the kill)`);
      later(ctx, 0, 150, `${what} in flight`);
    }),
  );
  return subs.end;
};

const generation: Probe = (ctx) => {
  const subs = subscriptions();
  subs.add(
    ctx.hooks.imageCall.on(() => {
      subs.end();
      later(ctx, 50, 500, 'an image being generated');
    }),
  );
  return subs.end;
};

const scoring: Probe = (ctx) => {
  const subs = subscriptions();
  subs.add(
    ctx.hooks.imageAnswer.on(() => {
      subs.end();
      later(ctx, 0, 80, 'a generated image just received (decode, score, store)');
    }),
  );
  return subs.end;
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
  const subs = subscriptions();
  subs.add(
    ctx.hooks.publication.on((publication) => {
      subs.end();
      const what = `${publication.articleId} v${publication.version}`;
      if (!ctx.relayUp() || ctx.random() < 0.4) {
        later(ctx, 0, 30, `publishing ${what}, request in flight${ctx.relayUp() ? '' : ' (relay down)'}`);
        return;
      }
      const off = ctx.hooks.relayAnswer.on(async (answered) => {
        if (answered !== publication) return 'forward';
        off();
        if (answered.status !== 200) {
          await ctx.kill(`publishing ${what}, the relay answered ${answered.status}`);
          return 'cut';
        }
        await ctx.kill(`the relay accepted ${what}; killed before Hero Desk heard back`);
        if (ctx.random() < ctx.bothChance)
          ctx.relayDown(between(ctx.random, 2_000, 6_000), `crashed together with Hero Desk after accepting ${what}`);
        return 'cut';
      });
      subs.add(off);
    }),
  );
  return subs.end;
};

export const PROBES: Record<Stage, Probe> = { ingest, generation, scoring, upload, publish, 'write-back': writeBack };
