// The generate job: make an image on the job's tier, score it, regenerate a bounded number of
// times when it scores low, and hand the best one to review (or auto-approve it). Provider and
// scorer calls happen outside transactions; every state change goes through `step`, which only
// commits while this worker still holds the job's lease.
import { randomInt } from 'node:crypto';
import type { ScoreFlag, Tier } from '../../../shared/domain.ts';
import { TierSchema } from '../../../shared/domain.ts';
import { requireArticle, transition, updateArticle, type ArticleRow } from '../store/articles.ts';
import { markInterruptedAttempts, recordAttempt, spendSince } from '../store/attempts.ts';
import type { Store } from '../store/store.ts';
import { AdapterError } from '../adapters/types.ts';
import { errorMessage } from '../queue/outcome.ts';
import { insertImage, type NewImage } from '../store/images.ts';
import { linkAttemptImage } from '../store/attempts.ts';
import type { JobRow } from '../store/jobs.ts';
import type { JobContext, JobHandler } from '../queue/engine.ts';
import type { JobOutcome } from '../queue/outcome.ts';
import { approveArticle } from './article-actions.ts';
import { IMAGE_HEIGHT, IMAGE_WIDTH, type PipelineDeps } from './deps.ts';
import { findNearDuplicate } from './near-duplicate.ts';
import { ChainFailedError, generateViaChain, type ChainResult } from './provider-chain.ts';
import { scoreImage, type ScoreOutcome } from './score-image.ts';
import { storeImage } from './store-image.ts';
import { watched, WATCHED_PROBLEMS } from './watched.ts';
import { resolveProblem } from '../store/problems.ts';
import { materialHash } from '../adapters/content-hash.ts';
import { announceUpgrade, applyUpgrade, createUpgradeHandler, upgradeAtDeadline } from './upgrade.ts';
import { jobPriority } from '../queue/lanes.ts';
import { autoApprovable, safetyChecks } from './safety-checks.ts';

/** One image made in this job; every one is kept as a candidate the editor may pick instead. */
interface Candidate {
  made: ChainResult;
  score: ScoreOutcome;
  prompt: string;
  seed: number;
}

/** Upgrade jobs run the same generation; only what happens to the story differs. */
export function createGenerateUpgradeHandler(deps: PipelineDeps): JobHandler {
  return createUpgradeHandler(deps, (context) => runGenerate(deps, context));
}

export function createGenerateHandler(deps: PipelineDeps): JobHandler {
  return {
    run: (context) => runGenerate(deps, context),
    onRequeue: (job, lane, reason) => backToPending(deps, job, lane, reason),
    upgradeAtDeadline: (_job, lane) => upgradeAtDeadline(deps, lane),
    onUpgrade: (job, lane, reason) => {
      backToPending(deps, job, lane, reason);
      announceUpgrade(deps, job, lane);
    },
    onFailed: (job, error) => {
      const article = requireArticle(deps.store, job.article_id);
      if (['pending', 'generating', 'scoring'].includes(article.status)) transition(deps.store, job.article_id, 'failed', error);
      updateArticle(deps.store, job.article_id, { last_error: error }, 'error');
      deps.store.notice('error', `No image for “${article.headline}”: ${error}`, job.article_id);
      deps.logger.warn({ articleId: job.article_id }, `no image for “${article.headline}”: ${error}`);
    },
  };
}

async function runGenerate(deps: PipelineDeps, context: JobContext): Promise<JobOutcome> {
  const { job, signal } = context;
  const tier = TierSchema.parse(job.lane);
  const tierConfig = deps.tiers[tier];
  const article = context.step(() => (context.upgrading() ? requireArticle(deps.store, job.article_id) : begin(deps, job, tier)));
  // once an upgrade, the fallback job owns the story's status: this run leaves it alone
  const storyStep = (work: () => void) => context.step(() => (context.upgrading() ? undefined : work()));

  const budget = checkBudget(deps, job, tier, article);
  if (budget.refused) return { type: 'demote', error: budget.refused };

  const input = promptInput(article);
  const brief = input.override ? null : await writeBrief(deps, context, article);
  const built = deps.prompts({ ...input, brief });
  if (built.mode === 'default-image' && tier !== 'default') {
    return { type: 'demote', error: `story policy (${built.policyLabel ?? 'default image'}): no AI image for this story` };
  }
  let prompt = built.prompt;
  let best: Candidate | null = null;
  const made: Candidate[] = [];
  for (let round = 0; round <= tierConfig.maxRegenerations; round++) {
    if (round > 0) storyStep(() => transition(deps.store, article.id, 'generating', `regeneration ${round}`));
    const seed = randomInt(1, 2 ** 31 - 1);
    let result: ChainResult;
    try {
      result = await generateViaChain(
        deps.store,
        deps.chains[tier],
        {
          jobId: job.id,
          lane: tier,
          budgetOverride: budget.overriddenBy,
          articleId: article.id,
          tier,
          prompt,
          negativePrompt: built.negativePrompt,
          seed,
          width: IMAGE_WIDTH,
          height: IMAGE_HEIGHT,
          headline: article.headline,
          section: article.section,
        },
        signal,
      );
    } catch (error) {
      if (best) break; // an earlier round made an image: review that rather than lose it
      if (error instanceof ChainFailedError) {
        return error.retryable
          ? { type: 'retry', error: error.message, retryAfterMs: error.retryAfterMs }
          : { type: 'demote', error: error.message };
      }
      throw error;
    }
    storyStep(() => transition(deps.store, article.id, 'scoring'));
    const scorers = result.provider.synthetic ? deps.scorers.slice(0, 1) : deps.scorers;
    const score = await scoreImage(
      deps.store,
      scorers,
      {
        headline: article.headline,
        summary: article.summary,
        section: article.section,
        image: result.image.bytes,
        contentType: result.image.contentType,
        expectedWidth: IMAGE_WIDTH,
        expectedHeight: IMAGE_HEIGHT,
      },
      { jobId: job.id, articleId: article.id, lane: tier, minScore: tierConfig.minScore, prompt },
      signal,
    );
    const candidate = { made: result, score, prompt, seed };
    made.push(candidate);
    if (!best || score.score > best.score.score) best = candidate;
    if (score.score >= tierConfig.minScore || result.provider.synthetic) break;
    // the scorer's better prompt goes through the builder too, so story policy still applies
    if (score.revisedPrompt) prompt = deps.prompts({ ...input, override: score.revisedPrompt }).prompt;
  }
  if (!best) return { type: 'retry', error: 'no image was produced' };
  const lowScore = best.score.score < tierConfig.minScore;
  if (lowScore && tierConfig.lowScorePolicy === 'default-image' && tier !== 'default') {
    // the editor may still prefer one of them to the default image: keep them as candidates (best
    // effort: storage trouble here must not hold up the default image)
    try {
      const kept = await storeCandidates(deps, context, article, made, null, tierConfig.minScore);
      context.step(() => kept.forEach((image) => insertCandidate(deps.store, image)));
    } catch (error) {
      if (signal.aborted) throw error;
      deps.logger.warn({ articleId: article.id, err: errorMessage(error) }, 'low-scored candidates could not be kept');
    }
    return { type: 'demote', error: `best score ${best.score.score} is below ${tierConfig.minScore}; using a default image` };
  }
  return finalize(deps, context, article, made, best, lowScore);
}

/** The optional LLM prompt writer; a failure costs the brief, never the image. */
async function writeBrief(deps: PipelineDeps, context: JobContext, article: ArticleRow): Promise<string | null> {
  const writer = deps.promptWriter;
  if (!writer) return null;
  const startedAt = deps.store.now();
  const attempt = {
    jobId: context.job.id,
    articleId: article.id,
    lane: context.job.lane,
    step: 'prompt' as const,
    provider: writer.name,
    model: null,
    seed: null,
    startedAt,
  };
  try {
    const houseStyle = deps.prompts(promptInput(article)).houseStyle;
    const written = await writer.write(
      { headline: article.headline, summary: article.summary, section: article.section, storyType: article.story_type },
      houseStyle,
      context.signal,
    );
    recordAttempt(deps.store, { ...attempt, prompt: written.prompt, costUsd: written.costUsd, outcome: 'ok' });
    return written.prompt;
  } catch (error) {
    if (context.signal.aborted) throw error;
    const costUsd = error instanceof AdapterError ? error.costUsd : 0;
    recordAttempt(deps.store, { ...attempt, prompt: null, costUsd, outcome: 'error', error: errorMessage(error) });
    return null;
  }
}

function begin(deps: PipelineDeps, job: JobRow, tier: Tier): ArticleRow {
  const article = requireArticle(deps.store, job.article_id);
  // a worker died mid-call: that call may have been billed; count it at its estimate
  const interrupted = markInterruptedAttempts(deps.store, job.id);
  if (interrupted.calls > 0)
    deps.logger.warn(
      { articleId: article.id, calls: interrupted.calls, costUsd: interrupted.costUsd },
      `“${article.headline}”: ${interrupted.calls} provider call(s) cut off by an unclean stop, counted at their estimate`,
    );
  // a worker died mid-job: the article is still marked as in progress; start it over
  if (article.status === 'generating' || article.status === 'scoring')
    transition(deps.store, article.id, 'pending', 'recovered after restart');
  transition(deps.store, article.id, 'generating', `on tier ${tier}`);
  if (article.tier !== tier) updateArticle(deps.store, article.id, { tier }, 'tier');
  return { ...article, tier };
}

/**
 * The tier's daily cap. Past it, a breaking story may still go ahead when the config allows it:
 * by the editor's hand when they asked for this image (Regenerate), else by the auto policy. Who
 * overrode is logged, put on every call it makes and shown in the card's history.
 */
function checkBudget(
  deps: PipelineDeps,
  job: JobRow,
  tier: Tier,
  article: ArticleRow,
): { refused: string | null; overriddenBy: string | null } {
  const cap = deps.tiers[tier].dailyBudgetUsd;
  if (cap === null || tier === 'default') return { refused: null, overriddenBy: null };
  const dayStart = new Date(deps.store.now()).setUTCHours(0, 0, 0, 0);
  const spent = spendSince(deps.store, tier, dayStart);
  if (spent < cap) return { refused: null, overriddenBy: null };
  if (article.breaking && deps.breakingBudgetOverride) {
    const by = isEditorRequested(job) ? 'editor (regenerate of a breaking story)' : 'auto policy (breakingBudgetOverride)';
    deps.store.transaction(() => {
      deps.store.logEvent('budget_override', article.id, { tier, spent, cap, by, jobId: job.id });
      deps.store.notice('warn', `Breaking news override by ${by}: tier ${tier} is past its $${cap.toFixed(2)} daily budget`, article.id);
    });
    deps.logger.warn({ articleId: article.id, tier, spent, cap, by }, `budget override by ${by}: “${article.headline}”`);
    return { refused: null, overriddenBy: by };
  }
  return { refused: `tier ${tier} has spent $${spent.toFixed(2)} of its $${cap.toFixed(2)} daily budget`, overriddenBy: null };
}

/** The queue gives an editor's request a bonus priority (queue/lanes.ts jobPriority). */
function isEditorRequested(job: JobRow): boolean {
  return job.priority === jobPriority(true, true) || job.priority === jobPriority(false, true);
}

interface PreparedImage {
  image: NewImage;
  /** The generation call that made it (the candidate's attempt number). */
  attemptId: number;
}

/**
 * Puts every image this job made in storage (content-addressed: a retry stores nothing twice)
 * and prepares its row. The best one also gets the near-duplicate check.
 */
async function storeCandidates(
  deps: PipelineDeps,
  context: JobContext,
  article: ArticleRow,
  made: readonly Candidate[],
  best: Candidate | null,
  minScore: number,
): Promise<PreparedImage[]> {
  const prepared: PreparedImage[] = [];
  for (const candidate of made) {
    const { made: result, score } = candidate;
    // side by side: both read the pixels the decode check kept
    const [stored, phash] = await Promise.all([
      watched(deps, context, 'newImages', () => storeImage(deps.storage, result.image.bytes, result.image.contentType)),
      deps.perceptualHash ? deps.perceptualHash(result.image.bytes) : null,
    ]);
    const duplicateOf = candidate === best && phash ? findNearDuplicate(deps.store, phash, article.id) : null;
    const flags: ScoreFlag[] = [...score.flags];
    if (score.score < minScore && !flags.includes('low_score')) flags.push('low_score');
    if (duplicateOf) flags.push('near_duplicate');
    prepared.push({
      attemptId: result.attemptId,
      image: {
        articleId: article.id,
        contentHash: stored.contentHash,
        storageKey: stored.key,
        thumbKey: stored.thumbKey,
        contentType: stored.contentType,
        width: stored.width,
        height: stored.height,
        bytes: stored.bytes,
        provider: result.provider.name,
        model: result.image.model,
        prompt: candidate.prompt,
        seed: result.image.seed ?? candidate.seed,
        score: score.score,
        scoreReason: duplicateOf ? `${score.reason} Looks like the image published for ${duplicateOf}.` : score.reason,
        description: score.description,
        flags,
        phash,
        synthetic: result.provider.synthetic === true,
        jobId: context.job.id,
        costUsd: Math.round((result.image.costUsd + score.costUsd) * 1e6) / 1e6,
        revisedPrompt: score.revisedPrompt,
        // the story as this job read it: if it changed since, readers would get a stale image
        madeFor: materialHash(article),
      },
    });
  }
  return prepared;
}

function insertCandidate(store: Store, { image, attemptId }: PreparedImage): number {
  const imageId = insertImage(store, image);
  linkAttemptImage(store, attemptId, imageId);
  return imageId;
}

async function finalize(
  deps: PipelineDeps,
  context: JobContext,
  article: ArticleRow,
  made: readonly Candidate[],
  best: Candidate,
  lowScore: boolean,
): Promise<JobOutcome> {
  const minScore = deps.tiers[TierSchema.parse(context.job.lane)].minScore;
  const prepared = await storeCandidates(deps, context, article, made, best, minScore);
  const chosen = prepared[made.indexOf(best)]!;
  const { score } = best;
  const flags = chosen.image.flags;
  return {
    type: 'done',
    effect: () => {
      let imageId = 0;
      for (const image of prepared) {
        const id = insertCandidate(deps.store, image);
        if (image === chosen) imageId = id;
      }
      const auto = deps.autoApproveMinScore;
      // the safety gate: auto-approval passes only an image every check passed; a warn or fail waits for an editor
      const autoApprove = () => {
        if (auto === null || score.score < auto) return;
        const gate = autoApprovable(safetyChecks({ flags, score: score.score, minScore }));
        if (gate.ok) approveArticle(deps, article.id, `auto-approved (score ${score.score} ≥ ${auto})`);
        else deps.logger.info({ articleId: article.id, checks: gate.held }, `not auto-approved: ${gate.held.join('; ')}`);
      };
      if (context.upgrading()) {
        applyUpgrade(deps, article.id, imageId, TierSchema.parse(context.job.lane), autoApprove);
        deps.logger.info(
          { articleId: article.id, provider: best.made.provider.name, score: score.score },
          `upgrade image arrived: “${article.headline}”`,
        );
        return;
      }
      // staleness is not cleared here: it is derived from the image readers have (cards.ts)
      updateArticle(deps.store, article.id, { current_image_id: imageId, last_error: null }, 'image_ready');
      resolveProblem(deps.store, WATCHED_PROBLEMS.newImages);
      transition(deps.store, article.id, 'generated', lowScore ? 'best attempt scored low' : undefined);
      deps.logger.info(
        { articleId: article.id, provider: best.made.provider.name, score: score.score, flags, candidates: prepared.length },
        `image ready for review: “${article.headline}”`,
      );
      autoApprove();
    },
  };
}

function backToPending(deps: PipelineDeps, job: JobRow, lane: string, reason: string): void {
  const article = requireArticle(deps.store, job.article_id);
  deps.logger.info({ articleId: article.id, lane }, `“${article.headline}” back in the queue (${lane}): ${reason}`);
  if (article.status === 'generating' || article.status === 'scoring') transition(deps.store, article.id, 'pending', reason);
  const tier = TierSchema.safeParse(lane);
  if (tier.success && tier.data !== article.tier) updateArticle(deps.store, article.id, { tier: tier.data }, 'tier');
  updateArticle(deps.store, article.id, { last_error: reason }, 'error');
}

export function promptInput(article: ArticleRow) {
  return {
    headline: article.headline,
    summary: article.summary,
    section: article.section,
    storyType: article.story_type,
    breaking: article.breaking,
    override: article.prompt_override,
  };
}
