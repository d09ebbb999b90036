// A small stateful CoreApi for browser tests of the board alone (no CLI, no queue): a dozen stories
// in every state, commands that move them along like the real core would, and images rendered by
// sharp and served from a loopback server, so the board shows real pictures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { parseCommand, type DispatchResult, type HeroEvent } from '../../../shared/contract.ts';
import {
  LANES,
  SETTLED_COLUMNS,
  TIERS,
  type AttemptSummary,
  type BulkResult,
  type Card,
  type CardImage,
  type Lane,
  type Problem,
  type QueueState,
  type SettledColumn,
  type Tier,
} from '../../../shared/domain.ts';
import type { CoreApi } from '../../../electron/core/app/api.ts';
import { loadConfig } from '../../../electron/core/settings/config-load.ts';
import { silentLogger } from '../../../electron/core/base/log.ts';
import { safetyChecks } from '../../../electron/core/pipeline/safety-checks.ts';
import { settingsHandlers } from '../../../electron/core/settings/commands.ts';
import { createSettingsService } from '../../../electron/core/settings/service.ts';
import { createDemoDrawer, type UploadedPhoto } from './demo-drawer.ts';
import { asText } from '../../helpers/text.ts';

type Seed = Pick<Card, 'headline' | 'section' | 'status'> & Partial<Card>;

const SEEDS: Seed[] = [
  {
    headline: 'Water main break floods downtown streets during morning commute',
    section: 'Local',
    status: 'generated',
    breaking: true,
    tier: 'breaking',
    score: 8.4,
    scoreReason: 'Flooded street with city buses; matches the story.',
  },
  {
    headline: 'School board approves four-day week pilot for rural district',
    section: 'Education',
    status: 'generated',
    score: 7.9,
    scoreReason: 'Empty classroom, calm light; on topic.',
  },
  {
    headline: 'Farmers market moves to the riverfront for the summer season',
    section: 'Community',
    status: 'generated',
    score: 5.2,
    scoreReason: 'Shows a supermarket aisle, not an outdoor market.',
    flags: ['low_score', 'legible_text'],
  },
  {
    headline: 'Harbor bridge repairs to close two lanes through March',
    section: 'Transport',
    status: 'generated',
    score: 8.8,
    scoreReason: 'Bridge with work crews; accurate.',
  },
  {
    headline: 'City council debates new short-term rental limits',
    section: 'Politics',
    status: 'pending',
    policy: 'illustration only (hard news)',
  },
  { headline: 'High school robotics team heads to nationals', section: 'Education', status: 'pending' },
  {
    headline: 'Storm warning issued for coastal towns tonight',
    section: 'Weather',
    status: 'generating',
    breaking: true,
    tier: 'breaking',
  },
  { headline: 'Library extends weekend hours after community petition', section: 'Community', status: 'scoring' },
  {
    headline: 'New bakery revives a 1920s storefront on Main Street',
    section: 'Business',
    status: 'rejected',
    score: 6.1,
    scoreReason: 'Generic bread close-up.',
  },
  {
    headline: 'Minor league ballpark unveils solar canopy',
    section: 'Sports',
    status: 'approved',
    score: 8.1,
    scoreReason: 'Stadium with solar panels.',
  },
  {
    headline: 'Transit agency adds late-night bus routes',
    section: 'Transport',
    status: 'published',
    score: 8.6,
    scoreReason: 'Night bus at a lit stop.',
  },
  {
    headline: 'Hospital opens pediatric wing after three-year build',
    section: 'Health',
    status: 'published',
    score: 7.7,
    scoreReason: 'Bright hospital corridor.',
  },
  {
    headline: 'Ferry service suspended after engine fault',
    section: 'Transport',
    status: 'failed',
    lastError: 'all providers failed: openai timeout after 120 s; workers-ai 503',
  },
];

/** What one image is expected to cost per tier (the real core forecasts from its price table). */
export const DEMO_ESTIMATES: Record<Tier, number | null> = { breaking: 0.22, regular: 0.04, default: 0 };
/** The pass mark the demo's appInfo reports. */
const DEMO_MIN_SCORE = 6;

/** Daily budgets the demo pretends are configured; spend itself comes from the cards' history. */
export const DEMO_BUDGETS: Record<Tier, number | null> = { breaking: 1, regular: 0.08, default: null };
const DAY_MS = 86_400_000;
const roundUsd = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** The keys the demo pretends its integrations use; 'openai' comes from the environment, like a dev shell. */
export const DEMO_SECRET_NAMES = ['openai', 'aitable'];
const DEMO_ENV_SECRETS = new Set(['openai']);

export interface DemoCoreOptions {
  readerUrl?: string | null;
  /** False acts like a machine without OS encryption: keys only from the environment. */
  secretsWritable?: boolean;
  /** Key names the "config" uses; [] is the embedded demo defaults. */
  secretNames?: string[];
  /**
   * The settings commands run the real settings code (validator, merge, revision check, atomic
   * write) on a config file in a temp folder, starting with this content (none: no file yet).
   * Only applying to a pipeline is pretended: `liveApplied` records what would have been applied.
   */
  config?: Record<string, unknown>;
  /** Key values the settings' key guard and the AITable field check see. */
  secretValues?: Record<string, string>;
  /** How long a regular story's approval can be undone before it "publishes" (breaking: at once). */
  undoMs?: number;
  /** Extra settled stories (published, rejected, failed) made before the seeds, for "show older". */
  settledExtra?: number;
  /** How many of each settled column the snapshot carries (the real core's SETTLED_WINDOW is 100). */
  settledWindow?: number;
}

/** Time-to-image per tier for the scripted demo (breaking 3 min so its seeds are not all late at once; the real default is 60 s), regular 15 min, default none. */
export const DEMO_DUE_WITHIN: Record<Tier, number | null> = { breaking: 180_000, regular: 900_000, default: null };

/** What the real core's raiseProblem takes, plus `at` to pretend it happened at another time. */
export type DemoProblemInput = Pick<Problem, 'id' | 'area' | 'level' | 'message'> & { action?: string | null; at?: number };

export interface DemoCore extends CoreApi {
  calls: { name: string; input: unknown }[];
  cards: Map<string, Card>;
  /** Keys saved through setSecret (as headless would keep them in secrets.json). */
  savedSecrets: Map<string, string>;
  /** Change a card as the pipeline would and push the event. */
  update(articleId: string, patch: Partial<Card>, silent?: boolean): Card;
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** Opens a problem, or counts a repeat of an open one, with the real core's rules (store/problems.ts). */
  raiseProblem(input: DemoProblemInput): void;
  /** Clears an open problem; true when it was open. */
  resolveProblem(id: string): boolean;
  /** How many `problems` events were pushed (a repeat of the same fault must not push one). */
  problemEvents: number;
  /** Stories moved to the front of their lane with prioritise, in order. */
  prioritised: string[];
  /** The settings' config file (see DemoCoreOptions.config). */
  configPath: string;
  /** Paths each save applied to the (pretend) running pipeline. */
  liveApplied: string[][];
  close(): Promise<void>;
}

/** An action that does not apply to the card as it is (the core's ActionRefusedError). */
class Refused extends Error {}
/** Input the command cannot act on (the core's InvalidInput). */
class Invalid extends Error {}

async function startImageServer(uploads: Map<string, UploadedPhoto>): Promise<{ server: Server; base: string }> {
  const cache = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    // a failure rendering a picture crashes the test run loudly; http ignores the listener's result
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const photo = url.pathname.startsWith('/upload/') ? uploads.get(url.pathname.slice('/upload/'.length)) : undefined;
      if (photo) {
        const thumb = url.searchParams.has('thumb');
        res.writeHead(200, { 'content-type': thumb ? 'image/webp' : photo.contentType, 'cache-control': 'max-age=3600' });
        res.end(thumb ? photo.thumb : photo.bytes);
        return;
      }
      const hue = Number(url.searchParams.get('hue') ?? '200');
      // ?h= makes a taller picture (a story whose crops differ visibly); 1200 wide either way
      const height = Math.min(1600, Math.max(300, Number(url.searchParams.get('h') ?? '675')));
      const width = url.pathname.startsWith('/thumb') ? 480 : 1200;
      const key = `${width}:${hue}:${height}`;
      let png = cache.get(key);
      if (!png) {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="${height}">
        <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="hsl(${hue},55%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 50) % 360},45%,32%)"/>
        </linearGradient></defs>
        <rect width="1200" height="${height}" fill="url(#g)"/>
        <circle cx="${300 + (hue % 600)}" cy="${Math.round(height * 0.38)}" r="150" fill="hsl(${(hue + 180) % 360},60%,80%)" opacity="0.55"/>
        <rect x="0" y="${height - 205}" width="1200" height="205" fill="hsl(${hue},30%,20%)" opacity="0.45"/></svg>`;
        png = await sharp(Buffer.from(svg)).resize({ width }).png().toBuffer();
        cache.set(key, png);
      }
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' });
      res.end(png);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function createDemoCore(options: DemoCoreOptions = {}): Promise<DemoCore> {
  const uploads = new Map<string, UploadedPhoto>();
  const { server, base } = await startImageServer(uploads);
  const listeners = new Set<(event: HeroEvent) => void>();
  const cards = new Map<string, Card>();
  const calls: { name: string; input: unknown }[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const savedSecrets = new Map<string, string>();
  const secretNames = options.secretNames ?? DEMO_SECRET_NAMES;
  const secretsWritable = options.secretsWritable ?? true;
  const problems = new Map<string, Problem>();
  let seq = 0;
  let hue = 20;
  let problemEvents = 0;
  // the queue like the core's queue-state.ts: paused lanes (or all), counts from the stories' states
  const pause = { all: false, lanes: new Set<Lane>(), since: null as number | null };
  const prioritised: string[] = [];
  const configDir = mkdtempSync(join(tmpdir(), 'hd-demo-settings-'));
  const configPath = join(configDir, 'hero-desk.config.json');
  if (options.config) writeFileSync(configPath, `${JSON.stringify(options.config, null, 2)}\n`);
  const liveApplied: string[][] = [];
  const secretValues = options.secretValues ?? {};
  const settings = settingsHandlers(
    createSettingsService({
      configPath,
      config: loadConfig(configPath, false),
      live: { prepare: (_next, _running, plan) => ({ commit: () => void liveApplied.push(plan.live) }) },
      onSaved: (applied, needsRestart) => {
        seq += 1;
        const waiting = needsRestart.length > 0 ? `; after a restart: ${needsRestart.map((issue) => issue.path).join(', ')}` : '';
        emit({
          type: 'notice',
          seq,
          level: 'info',
          message: `Settings saved: ${applied.length > 0 ? `applied now: ${applied.join(', ')}` : 'nothing to apply now'}${waiting}`,
          articleId: null,
        });
      },
      secrets: { get: (name) => secretValues[name] ?? savedSecrets.get(name) },
      secretNames: () => Object.keys(secretValues),
      storeKey: secretsWritable ? async (name, value) => void savedSecrets.set(name, value) : null,
      logger: silentLogger(),
    }),
  );

  const emit = (event: HeroEvent) => listeners.forEach((listener) => listener(event));
  const image = (id: string): CardImage => {
    hue = (hue + 47) % 360;
    return {
      url: `${base}/full/${id}.png?hue=${hue}`,
      thumbUrl: `${base}/thumb/${id}.png?hue=${hue}`,
      width: 1200,
      height: 675,
      provider: 'workers-ai',
      model: 'flux-1-schnell',
      contentHash: `${id}-${hue}`,
      publishedUrl: null,
    };
  };
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  function update(articleId: string, patch: Partial<Card>, silent = false): Card {
    const card = cards.get(articleId);
    if (!card) throw new Error(`no card ${articleId}`);
    const next = { ...card, ...patch, version: card.version + 1, updatedAt: Date.now() };
    cards.set(articleId, next);
    seq += 1;
    if (!silent) emit({ type: 'card', seq, card: next });
    return next;
  }

  function addCard(seed: Seed, index: number): Card {
    const articleId = `rec${String(index).padStart(3, '0')}`;
    const hasImage = ['generated', 'rejected', 'approved', 'published', 'scoring'].includes(seed.status);
    const prompt = `Editorial illustration for "${seed.headline}", muted colours, no text`;
    const at = Date.now() - 60_000;
    const history: AttemptSummary[] = hasImage
      ? [{ provider: 'workers-ai', model: 'flux-1-schnell', outcome: 'ok', detail: null, score: seed.score ?? null, costUsd: 0.003, at }]
      : seed.status === 'failed'
        ? [
            {
              provider: 'openai',
              model: 'gpt-image-1',
              outcome: 'timeout',
              detail: 'no answer after 120 s',
              score: null,
              costUsd: 0.04,
              at,
            },
            { provider: 'workers-ai', model: 'flux-1-schnell', outcome: 'error', detail: '503', score: null, costUsd: 0, at },
            { provider: 'workers-ai', model: 'flux-1-schnell', outcome: 'error', detail: '503', score: null, costUsd: 0, at },
          ]
        : [];
    const createdAt = seed.createdAt ?? Date.now() - index * 60_000;
    const card: Card = {
      articleId,
      summary: `${seed.headline}. Reporting by the local desk.`,
      storyType: 'news',
      breaking: false,
      tier: seed.breaking ? 'breaking' : 'regular',
      policy: null,
      stale: false,
      prompt,
      promptOverride: null,
      image: hasImage ? image(articleId) : null,
      score: null,
      scoreReason: null,
      flags: [],
      costUsd: roundUsd(history.reduce((sum, h) => sum + h.costUsd, 0)),
      attempts: history.length,
      history,
      altText: null,
      lastError: null,
      canRetryPublication: false,
      version: 1,
      deadlineAt: null,
      createdAt,
      updatedAt: Date.now() - index * 1000,
      dueAt: null,
      retraction: null,
      embargoUntil: null,
      upgrade: null,
      estimatedCostUsd: DEMO_ESTIMATES[seed.tier ?? (seed.breaking ? 'breaking' : 'regular')],
      checks: [],
      safetyOverride: null,
      ...seed,
    };
    // the real core's safety gate, from the same flags and score
    if (card.image && seed.checks === undefined)
      card.checks = safetyChecks({ flags: card.flags, score: card.score, minScore: DEMO_MIN_SCORE });
    if (seed.dueAt === undefined) {
      const within = DEMO_DUE_WITHIN[card.tier];
      card.dueAt = within === null ? null : card.createdAt + within;
    }
    if (card.status === 'published' && card.image) card.image.publishedUrl = card.image.url.replace('/full/', '/hero/');
    cards.set(articleId, card);
    return card;
  }
  SEEDS.forEach(addCard);
  // the harbour bridge story has a 4:3 picture, so its hero, Open Graph and square crops all differ
  const bridgeStory = cards.get('rec003')!;
  const tall = (url: string) => `${url}&h=900`;
  bridgeStory.image = {
    ...bridgeStory.image!,
    url: tall(bridgeStory.image!.url),
    thumbUrl: tall(bridgeStory.image!.thumbUrl),
    height: 900,
  };
  const drawer = createDemoDrawer({
    base,
    cards,
    update,
    later,
    cancel: (timer) => {
      clearTimeout(timer);
      timers.delete(timer);
    },
    undoMs: options.undoMs ?? 4_000,
    uploads,
  });
  drawer.seed();
  // older settled stories, numbered after the seeds, each settled a minute before the next
  const settledStatuses = ['published', 'rejected', 'failed'] as const;
  for (let n = 0; n < (options.settledExtra ?? 0); n++) {
    const status = settledStatuses[n % 3]!;
    addCard(
      {
        headline: `Archive story ${n + 1} (${status})`,
        section: 'Archive',
        status,
        createdAt: Date.now() - 86_400_000 - n * 60_000,
        updatedAt: Date.now() - 3_600_000 - n * 60_000,
      },
      200 + n,
    );
  }
  const settledWindow = options.settledWindow ?? 100;
  const settledColumnOf = (card: Card): SettledColumn | null =>
    (SETTLED_COLUMNS as readonly string[]).includes(card.status) ? (card.status as SettledColumn) : null;
  /** Newest change first, like the core's settled columns. */
  const bySettledOrder = (a: Card, b: Card) =>
    b.updatedAt - a.updatedAt || (a.articleId < b.articleId ? 1 : a.articleId > b.articleId ? -1 : 0);
  const settled = (column: SettledColumn) => [...cards.values()].filter((card) => card.status === column).sort(bySettledOrder);

  function queueState(): QueueState {
    const inLane = (lane: Lane, statuses: Card['status'][]) =>
      [...cards.values()].filter((card) => statuses.includes(card.status) && (lane === 'publish' ? true : card.tier === lane)).length;
    return {
      pausedAll: pause.all,
      lanes: LANES.map((name) => ({
        name,
        paused: pause.all || pause.lanes.has(name),
        queued: name === 'publish' ? 0 : inLane(name, ['pending']),
        running: name === 'publish' ? inLane(name, ['publishing']) : inLane(name, ['generating', 'scoring']),
      })),
      pausedSince: pause.since,
      pausedBy: pause.since === null ? null : 'editor',
    };
  }

  function setPaused(paused: boolean, lane: Lane | undefined): QueueState {
    if (lane === undefined) {
      pause.all = paused;
      if (!paused) pause.lanes.clear();
    } else if (paused) pause.lanes.add(lane);
    else pause.lanes.delete(lane);
    const any = pause.all || pause.lanes.size > 0;
    pause.since = any ? (pause.since ?? Date.now()) : null;
    const queue = queueState();
    seq += 1;
    emit({ type: 'queue', seq, queue });
    return queue;
  }

  function snapshot() {
    const open = [...cards.values()].filter((card) => settledColumnOf(card) === null);
    const older = {} as Record<SettledColumn, number>;
    const shown: Card[] = [];
    for (const column of SETTLED_COLUMNS) {
      const all = settled(column);
      shown.push(...all.slice(0, settledWindow));
      older[column] = Math.max(0, all.length - settledWindow);
    }
    return { seq, cards: [...open, ...shown], problems: listProblems(), queue: queueState(), older };
  }

  function olderCards(column: SettledColumn, before: { updatedAt: number; articleId: string }, limit: number) {
    const rest = settled(column).filter(
      (card) => card.updatedAt < before.updatedAt || (card.updatedAt === before.updatedAt && card.articleId < before.articleId),
    );
    return { seq, cards: rest.slice(0, limit), remaining: Math.max(0, rest.length - limit) };
  }

  /** The same moves as one by one; a card that cannot move is reported, the rest go on. */
  function bulk(action: string, ids: string[]): { results: BulkResult[] } {
    const allowed: Record<string, Card['status'][]> = {
      approve: ['generated'],
      reject: ['generated'],
      regenerate: ['generated', 'rejected', 'failed', 'approved', 'published'],
    };
    const results = [...new Set(ids)].map((articleId): BulkResult => {
      const card = cards.get(articleId);
      if (!card) return { articleId, ok: false, error: `article ${articleId} not found` };
      if (!allowed[action]!.includes(card.status))
        return {
          articleId,
          ok: false,
          error: `illegal status transition ${card.status} → ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'pending'}`,
        };
      if (action === 'approve') drawer.approve(articleId);
      else if (action === 'reject') update(articleId, { status: 'rejected', reviewNote: null });
      else regenerate(articleId);
      return { articleId, ok: true, error: null };
    });
    return { results };
  }

  /** The core's order: errors first, then the oldest. */
  const listProblems = () =>
    [...problems.values()].sort((a, b) => (a.level === 'error' ? 0 : 1) - (b.level === 'error' ? 0 : 1) || a.openedAt - b.openedAt);
  function problemsChanged() {
    seq += 1;
    problemEvents += 1;
    emit({ type: 'problems', seq, problems: listProblems() });
  }

  function raiseProblem({ at = Date.now(), action = null, ...input }: DemoProblemInput) {
    const existing = problems.get(input.id);
    if (!existing) {
      problems.set(input.id, { ...input, action, openedAt: at, updatedAt: at, occurrences: 1 });
      problemsChanged();
      return;
    }
    const next = { ...existing, ...input, action, updatedAt: at, occurrences: existing.occurrences + 1 };
    problems.set(input.id, next);
    // like the core: a repeat is counted quietly; only a different message, level or step is news
    if (existing.message !== next.message || existing.level !== next.level || existing.action !== next.action) problemsChanged();
  }

  function regenerate(articleId: string, prompt?: string) {
    update(articleId, { status: 'generating', ...(prompt === undefined ? {} : { promptOverride: prompt }) });
    later(400, () => {
      const card = cards.get(articleId)!;
      const attempt: AttemptSummary = {
        provider: 'workers-ai',
        model: 'flux-1-schnell',
        outcome: 'ok',
        detail: null,
        score: 8.2,
        costUsd: 0.003,
        at: Date.now(),
      };
      const made = image(articleId);
      const sent = card.promptOverride ? `${card.promptOverride}\nStyle: flat illustration.` : card.prompt;
      // the new image joins the candidates before the card event that shows it
      const next = {
        ...card,
        image: made,
        score: 8.2,
        scoreReason: 'Regenerated image fits the story.',
        flags: [],
        attempts: card.attempts + 1,
      };
      cards.set(articleId, next);
      drawer.regenerated(articleId, made, sent);
      update(articleId, {
        status: 'generated',
        image: made,
        score: 8.2,
        scoreReason: 'Regenerated image fits the story.',
        flags: [],
        attempts: card.attempts + 1,
        costUsd: roundUsd(card.costUsd + attempt.costUsd),
        history: [...card.history, attempt],
        prompt: sent,
      });
    });
  }

  /** The contract's ledger, the way the real core sums its attempts table: every call in the UTC day counts. */
  function ledger(day?: string) {
    const start = day ? Date.parse(`${day}T00:00:00Z`) : new Date().setUTCHours(0, 0, 0, 0);
    const inDay = (card: Card) => card.history.filter((attempt) => attempt.at >= start && attempt.at < start + DAY_MS);
    const tiers = TIERS.map((tier) => {
      const attempts = [...cards.values()].filter((card) => card.tier === tier).flatMap(inDay);
      const costUsd = roundUsd(attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0));
      return { tier, costUsd, calls: attempts.length, budgetUsd: DEMO_BUDGETS[tier] };
    });
    const articles = [...cards.values()]
      .map((card) => ({ card, attempts: inDay(card) }))
      .filter(({ attempts }) => attempts.length > 0)
      .map(({ card, attempts }) => ({
        articleId: card.articleId,
        headline: card.headline,
        status: card.status,
        costUsd: roundUsd(attempts.reduce((sum, a) => sum + a.costUsd, 0)),
      }))
      .sort((a, b) => b.costUsd - a.costUsd || a.articleId.localeCompare(b.articleId));
    const month = new Date(start).toISOString().slice(0, 7);
    const sectionNames = [...new Set([...cards.values()].map((card) => card.section))].sort();
    const sections = sectionNames
      .map((section) => {
        const attempts = [...cards.values()].filter((card) => card.section === section).flatMap(inDay);
        const usd = roundUsd(attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0));
        return { section, dayUsd: usd, monthUsd: usd, calls: attempts.length };
      })
      .filter((row) => row.calls > 0);
    const waiting = [...cards.values()].filter((card) => ['pending', 'generating', 'scoring'].includes(card.status));
    const queuedTiers = TIERS.map((tier) => ({
      tier,
      jobs: waiting.filter((card) => card.tier === tier).length,
      perImageUsd: DEMO_ESTIMATES[tier],
    }));
    const queued = {
      jobs: waiting.length,
      estimatedUsd: roundUsd(queuedTiers.reduce((sum, row) => sum + row.jobs * (row.perImageUsd ?? 0), 0)),
      unpriced: 0,
      tiers: queuedTiers,
    };
    const totalUsd = roundUsd(tiers.reduce((sum, row) => sum + row.costUsd, 0));
    return {
      day: new Date(start).toISOString().slice(0, 10),
      totalUsd,
      tiers,
      articles,
      month,
      monthTotalUsd: totalUsd,
      sections,
      interrupted: { calls: 0, costUsd: 0 },
      queued,
    };
  }

  /** Like the headless store (this core answers as transport 'web'): environment first, then the file. */
  const secretSource = (name: string) =>
    DEMO_ENV_SECRETS.has(name) ? ('environment' as const) : secretsWritable && savedSecrets.has(name) ? ('file' as const) : null;

  function setSecret(name: string, value: string | null): DispatchResult {
    if (!secretNames.includes(name))
      return {
        ok: false,
        error: { code: 'invalid_input', message: `"${name}" is not a key the current config uses (${secretNames.join(', ') || 'none'})` },
      };
    if (!secretsWritable)
      return { ok: false, error: { code: 'invalid_input', message: 'keys cannot be saved here; set them in the environment' } };
    if (value === null) savedSecrets.delete(name);
    else savedSecrets.set(name, value);
    seq += 1;
    emit({
      type: 'notice',
      seq,
      level: 'info',
      message: value === null ? `Key "${name}" removed` : `Key "${name}" saved`,
      articleId: null,
    });
    return { ok: true, value: { ok: true } };
  }

  async function run(name: string, input: Record<string, unknown>): Promise<unknown> {
    const articleId = asText(input.articleId);
    switch (name) {
      case 'snapshot':
        return snapshot();
      case 'appInfo':
        return {
          version: '0.0.0-test',
          transport: 'web',
          readerUrl: options.readerUrl ?? null,
          autoApproveMinScore: null,
          thresholds: { minScore: 6 },
        };
      case 'approve': {
        // like the core's safety gate: a failed check needs the editor's reason
        const current = cards.get(articleId)!;
        const failed = current.checks.filter((check) => check.state === 'fail').map((check) => `${check.label}: ${check.reason}`);
        const reason = typeof input.overrideReason === 'string' ? input.overrideReason.trim() : '';
        if (failed.length > 0 && !reason)
          throw new Refused(
            `“${current.headline}” failed the safety gate (${failed.join('; ')}); to publish it anyway, approve with a reason (overrideReason)`,
          );
        if (failed.length > 0) update(articleId, { safetyOverride: reason }, true);
        drawer.approve(articleId);
        return { ok: true };
      }
      case 'reject':
        // like the core: pulling a published image needs retract and a reason
        if (cards.get(articleId)!.status === 'published')
          throw new Refused(
            `“${cards.get(articleId)!.headline}” is on readers' pages: pull it from readers with a reason instead of rejecting it`,
          );
        update(articleId, { status: 'rejected', reviewNote: (input.reason as string | undefined) ?? null });
        return { ok: true };
      case 'regenerate':
        regenerate(articleId, input.prompt as string | undefined);
        return { ok: true };
      case 'setPrompt':
        update(articleId, { promptOverride: input.prompt as string | null });
        return { ok: true };
      case 'retract': {
        // like the core: the card is rejected at once and the retraction is on its way, then delivered
        const current = cards.get(articleId)!;
        const retraction = { reason: String(input.reason), at: Date.now(), delivered: false };
        update(articleId, {
          status: 'rejected',
          reviewNote: `Pulled from readers: ${retraction.reason}`,
          image: current.image && { ...current.image, publishedUrl: null },
          retraction,
        });
        later(200, () => update(articleId, { retraction: { ...retraction, delivered: true } }));
        return { ok: true };
      }
      case 'olderCards':
        return olderCards(input.column as SettledColumn, input.before as { updatedAt: number; articleId: string }, Number(input.limit));
      case 'bulk':
        return bulk(String(input.action), input.articleIds as string[]);
      case 'checkNow':
        return { ok: true };
      case 'queueState':
        return queueState();
      case 'pause':
        return setPaused(true, input.lane as Lane | undefined);
      case 'resume':
        return setPaused(false, input.lane as Lane | undefined);
      case 'prioritise': {
        // like the core: only a story whose job is still waiting can move up
        const card = cards.get(articleId)!;
        if (card.status !== 'pending') throw new Invalid(`“${card.headline}” has no job waiting in the queue`);
        prioritised.push(articleId);
        return { ok: true };
      }
      case 'ledger':
        return ledger(input.day as string | undefined);
      case 'secrets':
        return { writable: secretsWritable, secrets: secretNames.map((secret) => ({ name: secret, source: secretSource(secret) })) };
      case 'settings':
        return settings.settings();
      case 'validateSettings':
        return settings.validateSettings(input as never);
      case 'saveSettings':
        return settings.saveSettings(input as never);
      case 'checkSourceFields':
        return settings.checkSourceFields(input as never);
      case 'setupSolo':
        return settings.setupSolo(input as never);
      case 'dismissProblem':
        if (problems.delete(String(input.id))) problemsChanged();
        return { ok: true };
      case 'addDemoArticle': {
        const card = addCard(
          { headline: String(input.headline), section: String(input.section), status: 'pending', breaking: input.breaking === true },
          cards.size + 100,
        );
        seq += 1;
        emit({ type: 'card', seq, card });
        later(200, () => regenerate(card.articleId));
        return { recordId: card.articleId };
      }
      default:
        throw new Error(`demo core does not know ${name}`);
    }
  }

  return {
    calls,
    cards,
    savedSecrets,
    update,
    notice(level, message) {
      seq += 1;
      emit({ type: 'notice', seq, level, message, articleId: null });
    },
    raiseProblem,
    resolveProblem(id) {
      if (!problems.delete(id)) return false;
      problemsChanged();
      return true;
    },
    get problemEvents() {
      return problemEvents;
    },
    prioritised,
    configPath,
    liveApplied,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispatch(name, input): Promise<DispatchResult> {
      calls.push({ name, input });
      const command = parseCommand(name, input);
      if (!command.ok) return command;
      if (name === 'setSecret') {
        const { name: secret, value } = command.input as { name: string; value: string | null };
        return setSecret(secret, value);
      }
      const articleId = (command.input as { articleId?: string }).articleId;
      if (articleId !== undefined && !cards.has(articleId))
        return { ok: false, error: { code: 'not_found', message: `no article ${articleId}` } };
      const drawn = await drawer.dispatch(name, articleId ?? '', command.input as Record<string, unknown>);
      if (drawn) return drawn;
      try {
        return { ok: true, value: await run(name, command.input as Record<string, unknown>) };
      } catch (error) {
        if (error instanceof Refused) return { ok: false, error: { code: 'illegal_transition', message: error.message } };
        if (error instanceof Invalid) return { ok: false, error: { code: 'invalid_input', message: error.message } };
        throw error;
      }
    },
    async close() {
      timers.forEach(clearTimeout);
      rmSync(configDir, { recursive: true, force: true });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
