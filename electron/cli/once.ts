// `hero-desk start --once`: a cron-style run. Read what is new, take every job to an end state
// (or stop at the time limit), let the write-back catch up, print what happened, and exit:
// 0 when everything ended well, 1 when something failed or was left unfinished (a bad config
// exits 2 before anything starts, as for `start`).
import type { Card } from '../../shared/domain.ts';
import type { RunningCore } from '../core/index.ts';
import type { Logger } from '../core/base/log.ts';

export interface OnceOptions {
  timeLimitMs: number;
  /** How often the core is asked whether work remains. */
  checkEveryMs?: number;
}

export interface OnceOutcome {
  exitCode: 0 | 1;
  finished: boolean;
  cards: Card[];
}

const ENDED_WELL = new Set(['generated', 'approved', 'published', 'rejected']);

export async function runOnce(core: RunningCore, options: OnceOptions, logger: Logger): Promise<OnceOutcome> {
  const startedAt = Date.now();
  const checkNow = await core.dispatch('checkNow', {});
  if (!checkNow.ok) logger.warn(`could not read the source: ${checkNow.error.message}`);
  let remaining = core.workRemaining();
  // a poll that found records queues their jobs in the same transaction, so "nothing left" is final
  while ((remaining.jobs > 0 || remaining.writeBacks > 0) && Date.now() - startedAt < options.timeLimitMs) {
    await new Promise((resolve) => setTimeout(resolve, options.checkEveryMs ?? 250));
    remaining = core.workRemaining();
  }
  const finished = remaining.jobs === 0 && remaining.writeBacks === 0;
  if (!finished)
    logger.warn(
      remaining,
      `time limit reached with work left: ${remaining.jobs} jobs, ${remaining.writeBacks} write-backs (they resume on the next run)`,
    );
  const snapshot = await core.dispatch('snapshot', {});
  const cards = snapshot.ok ? (snapshot.value as { cards: Card[] }).cards.filter((card) => card.updatedAt >= startedAt) : [];
  const failed = cards.some((card) => !ENDED_WELL.has(card.status) || card.canRetryPublication);
  return { exitCode: finished && !failed ? 0 : 1, finished, cards };
}

/** The run as a table a person reads at a glance (or a cron mail shows). */
export function summaryTable(outcome: OnceOutcome): string {
  const rows = outcome.cards.map((card) => [
    card.articleId,
    card.headline.length > 48 ? `${card.headline.slice(0, 47)}…` : card.headline,
    card.status + (card.canRetryPublication ? ' (publish failed)' : ''),
    card.tier,
    card.image?.provider ?? '–',
    card.score === null ? '–' : String(card.score),
    `$${card.costUsd.toFixed(4)}`,
    card.lastError ? card.lastError.slice(0, 120) : '',
  ]);
  const header = ['record', 'headline', 'status', 'tier', 'image', 'score', 'cost', 'problem'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const ok = outcome.cards.filter((card) => ENDED_WELL.has(card.status) && !card.canRetryPublication).length;
  const spent = outcome.cards.reduce((sum, card) => sum + card.costUsd, 0);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${outcome.cards.length} stories, ${ok} ended well, ${outcome.cards.length - ok} did not; spent $${spent.toFixed(4)}${outcome.finished ? '' : '; stopped at the time limit with work left'}`,
  ].join('\n');
}
