// Polls the source, turns new records into articles with a queued generate job, and notices
// material changes to ones already handled (staleness). The cursor is saved in the same
// transaction as the articles it covers, so a crash never skips or doubles a record.
import type { Logger } from 'pino';
import type { ArticleSource, RejectedRecord, SourceArticle } from '../adapters/types.ts';
import { getArticle, insertArticle, updateArticle, type ArticleRow } from '../store/articles.ts';
import { enqueueGenerate, queueGeneration, type ActionDeps } from './article-actions.ts';
import { setEmbargo } from './embargo.ts';
import type { PromptBuilder } from './prompting.ts';
import { contentHash, materialHash } from '../adapters/content-hash.ts';
import { classifyError } from '../base/failures.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';
import { saveSourceCursor, sourceCursor } from '../store/source-cursors.ts';

export interface IngestDeps extends ActionDeps {
  source: ArticleSource;
  prompts: PromptBuilder;
  logger: Logger;
}

const IN_REVIEW_OR_LATER = new Set(['generated', 'approved', 'publishing', 'published', 'rejected', 'failed']);

export class Ingest {
  private readonly deps: IngestDeps;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Polls failed in a row. */
  private failures = 0;

  constructor(deps: IngestDeps) {
    this.deps = deps;
    this.log = deps.logger.child({ module: 'ingest' });
  }

  start(intervalMs: number): void {
    const loop = async () => {
      // a poll that could not even record its failure (disk full) must not end the loop
      await this.pollNow().catch((error: unknown) => this.log.error({ err: error }, 'poll failed'));
      if (this.timer !== null) this.timer = setTimeout(next, intervalMs);
    };
    // loop never rejects (it catches above), so nothing waits for it
    const next = () => void loop();
    this.timer = setTimeout(next, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** One poll; concurrent callers share it ("check now" while a timed poll runs). */
  pollNow(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** The webhook path: one record by id, outside the cursor. */
  async ingestRecord(recordId: string): Promise<void> {
    const result = await this.deps.source.fetchOne?.(recordId);
    if (!result) return;
    if ('reason' in result) this.reportRejected([result]);
    else this.deps.store.transaction(() => this.upsert(result));
    this.deps.wake();
  }

  private async pollOnce(): Promise<void> {
    const { store, source } = this.deps;
    try {
      const cursor = sourceCursor(store, source.name);
      const result = await source.poll(cursor);
      // nothing new (the usual poll): no write, so an idle desk does not rewrite its cursor every second
      if (result.articles.length > 0 || result.cursor !== cursor) {
        store.transaction(() => {
          for (const article of result.articles) this.upsert(article);
          saveSourceCursor(store, source.name, result.cursor);
        });
      }
      this.reportRejected(result.rejected);
      if (result.articles.length > 0) this.deps.wake();
      resolveProblem(store, 'source');
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      const { kind, message } = classifyError(error);
      this.log.debug({ err: error }, 'poll failed; will retry');
      // one blip is not a problem; a source that stays away (or refuses the key) is
      if (kind !== 'retryable' || this.failures >= 2) {
        raiseProblem(store, {
          id: 'source',
          area: kind === 'auth' ? 'key' : 'source',
          level: kind === 'retryable' ? 'warn' : 'error',
          message: `New stories cannot be read from ${source.name}: ${message}`,
          action:
            kind === 'auth'
              ? `Set the ${source.name} key in Keys (or its environment variable); polling goes on meanwhile`
              : kind === 'retryable'
                ? 'Hero Desk keeps polling and picks up everything that was added meanwhile'
                : 'Fix the source settings it names (config source.*), then restart',
        });
      }
    }
  }

  private upsert(article: SourceArticle): void {
    const { store, prompts } = this.deps;
    const existing = getArticle(store, article.recordId);
    const hash = contentHash(article);
    if (existing) this.followSourceEmbargo(existing, article);
    if (existing?.content_hash === hash) return; // delivered again (overlap window), nothing changed
    const built = prompts({ ...article, override: null });
    // story policy may rule out AI imagery: such stories go straight to the default tier
    const tier = built.mode === 'default-image' ? 'default' : article.tier;
    if (!existing) {
      insertArticle(store, {
        id: article.recordId,
        source: this.deps.source.name,
        headline: article.headline,
        summary: article.summary,
        section: article.section,
        storyType: article.storyType,
        breaking: article.breaking,
        contentHash: hash,
        tier,
        prompt: built.prompt,
        promptOverride: article.promptOverride,
        policy: built.policyLabel,
        embargoUntil: article.embargoUntil ?? null,
      });
      const row = getArticle(store, article.recordId);
      if (row) enqueueGenerate(this.deps, row, tier, false);
      this.log.info({ articleId: article.recordId, tier }, `new story: “${article.headline}”`);
      return;
    }
    const material = materialHash(existing) !== materialHash(article);
    updateArticle(
      store,
      existing.id,
      {
        headline: article.headline,
        summary: article.summary,
        section: article.section,
        story_type: article.storyType,
        content_hash: hash,
        prompt: built.prompt,
        policy: built.policyLabel,
        routed_tier: tier,
        ...(article.promptOverride !== null ? { prompt_override: article.promptOverride } : {}),
      },
      'source_changed',
    );
    if (material) this.onMaterialChange(existing);
    this.log.info({ articleId: existing.id, material }, `story changed in the source: “${article.headline}”`);
  }

  /**
   * An embargo edited in the source moves the story's embargo (an approved story's publication
   * with it). Only a change there counts: an embargo set or lifted on the board stays until the
   * record's own value changes.
   */
  private followSourceEmbargo(existing: ArticleRow, article: SourceArticle): void {
    if (article.embargoUntil === undefined) return;
    const value = article.embargoUntil;
    if (value === existing.source_embargo_until) return;
    updateArticle(this.deps.store, existing.id, { source_embargo_until: value }, 'source_embargo');
    setEmbargo(this.deps, existing.id, value, 'source');
    this.log.info({ articleId: existing.id, embargoUntil: value }, `embargo changed in the source: “${existing.headline}”`);
  }

  private onMaterialChange(existing: ArticleRow): void {
    const { store } = this.deps;
    if (existing.status === 'publishing') {
      // the running publication finishes (pulling it back mid-flight could leave readers with
      // nothing); once it lands, the publish job sees the story changed under it and regenerates
      // (publish-job.ts regenerateAfterPublish). The flag is the fallback for images made before
      // staleness was derived from what readers have.
      updateArticle(store, existing.id, { stale: true }, 'stale');
      return;
    }
    if (!IN_REVIEW_OR_LATER.has(existing.status)) return; // queued or in progress: the job reads the new text
    const wasLive = existing.status === 'approved' || existing.status === 'published';
    queueGeneration(this.deps, existing.id, { editorRequested: false, note: 'story changed in the source' });
    if (wasLive) {
      updateArticle(store, existing.id, { stale: true }, 'stale');
      store.notice('warn', `“${existing.headline}” changed after its image went out; a new image is on its way`, existing.id);
    }
  }

  private reportRejected(rejected: RejectedRecord[]): void {
    for (const record of rejected) {
      this.log.warn({ recordId: record.recordId, reason: record.reason }, 'record skipped');
      this.deps.store.notice('warn', `Record ${record.recordId} skipped: ${record.reason}`);
    }
  }
}
