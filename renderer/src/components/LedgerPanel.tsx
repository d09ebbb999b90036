// The day's spend, opened from the header's SPENT stat: per tier (with its daily budget), the total,
// the month so far, per section, what the waiting stories are expected to cost, and the stories that
// cost the most. Reloads while open as cards change, at most about once a second.
import { useEffect, useRef } from 'react';
import type { Ledger } from '../../../shared/contract.ts';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../../shared/domain.ts';
import { formatCost, STATUS_LABEL } from '../format.ts';
import { useBoard } from '../store/context.ts';
import { useLatestLoad, usePopoverDismiss, type PopoverProps } from './popover.ts';
import { PopoverPanel } from './PopoverPanel.tsx';

const REFRESH_MS = 1000;
const TOP_ARTICLES = 5;
const TIER_LABEL: Record<string, string> = { breaking: 'Breaking', regular: 'Regular', default: 'Default' };

type LedgerPanelProps = PopoverProps;

/** "Wed 25 Nov 2026" for a UTC day; the ledger counts UTC days, so the label must too. */
function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

const isStatus = (status: string): status is ArticleStatus => (ARTICLE_STATUSES as readonly string[]).includes(status);

function usage(costUsd: number, budgetUsd: number): { percent: number; level: 'ok' | 'near' | 'over' } {
  // to a tenth of a percent, so float noise (0.064 / 0.08 = 79.999…) never hides the warning
  const percent = budgetUsd > 0 ? Math.round((costUsd / budgetUsd) * 1000) / 10 : 100;
  return { percent, level: percent >= 100 ? 'over' : percent >= 80 ? 'near' : 'ok' };
}

function TierRow({ row }: { row: Ledger['tiers'][number] }) {
  const budget = row.budgetUsd === null ? null : usage(row.costUsd, row.budgetUsd);
  return (
    <li className="ledger-tier" data-testid={`ledger-tier-${row.tier}`} data-level={budget?.level ?? 'none'}>
      <div className="ledger-tier-line">
        <span className={`badge tier-${row.tier}`}>{TIER_LABEL[row.tier] ?? row.tier}</span>
        <span className="ledger-calls" data-testid="ledger-tier-calls">
          {row.calls} {row.calls === 1 ? 'call' : 'calls'}
        </span>
        <span className="ledger-money">
          <strong data-testid="ledger-tier-cost">{formatCost(row.costUsd)}</strong>
          <span className="muted">
            {' / '}
            {row.budgetUsd === null ? 'no budget' : formatCost(row.budgetUsd)}
          </span>
        </span>
      </div>
      {budget && (
        <div
          className={`budget-bar budget-${budget.level}`}
          role="progressbar"
          aria-label={`${TIER_LABEL[row.tier] ?? row.tier} budget used`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(budget.percent)}
          title={`${Math.round(budget.percent)} % of the daily budget`}
        >
          <span style={{ width: `${Math.min(100, budget.percent)}%` }} />
        </div>
      )}
    </li>
  );
}

export function LedgerPanel({ within, onClose }: LedgerPanelProps) {
  const loadLedger = useBoard((s) => s.loadLedger);
  const select = useBoard((s) => s.select);
  const cardsVersion = useBoard((s) => s.cardsVersion);
  const { value: ledger, error, load } = useLatestLoad(loadLedger);
  const firstVersion = useRef(cardsVersion);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    return () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, []);

  // Card events while open: one reload at most every REFRESH_MS (a busy board never starves it).
  useEffect(() => {
    if (cardsVersion === firstVersion.current || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      load();
    }, REFRESH_MS);
  }, [cardsVersion, load]);

  usePopoverDismiss({ within, onClose });

  function open(articleId: string) {
    select(articleId);
    onClose({ restoreFocus: false });
    // hand the keyboard to the card, so A/R/G act on it straight away
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="card-${articleId}"]`)?.focus());
  }

  const top = ledger?.articles.slice(0, TOP_ARTICLES) ?? [];
  return (
    <PopoverPanel
      id="ledger-panel"
      title={ledger ? `Spend · ${formatDay(ledger.day)}` : 'Spend today'}
      aside="UTC day"
      within={within}
      onClose={onClose}
    >
      {error && (
        <p className="error-box" role="alert">
          Could not load spend: {error}
        </p>
      )}
      {!ledger && !error && <p className="muted small">Loading…</p>}
      {ledger && (
        <>
          <ul className="ledger-tiers">
            {ledger.tiers.map((row) => (
              <TierRow key={row.tier} row={row} />
            ))}
          </ul>
          <div className="ledger-total">
            <span>Total</span>
            <strong data-testid="ledger-total">{formatCost(ledger.totalUsd)}</strong>
          </div>
          <div className="ledger-total ledger-month">
            <span>Month {ledger.month}</span>
            <strong data-testid="ledger-month-total">{formatCost(ledger.monthTotalUsd)}</strong>
          </div>
          <div
            className="ledger-total ledger-queued"
            title="One image per waiting story at its tier's price (an estimate; the totals above are what was billed)"
          >
            <span>
              Queued: {ledger.queued.jobs} {ledger.queued.jobs === 1 ? 'story' : 'stories'}
              {ledger.queued.unpriced > 0 && <span className="muted"> ({ledger.queued.unpriced} with no known price)</span>}
            </span>
            <strong data-testid="ledger-queued-estimate">est. {formatCost(ledger.queued.estimatedUsd)}</strong>
          </div>
          {ledger.interrupted.calls > 0 && (
            <p className="muted small" data-testid="ledger-interrupted">
              {ledger.interrupted.calls} {ledger.interrupted.calls === 1 ? 'call' : 'calls'} cut off by an unclean stop, counted at the
              estimate ({formatCost(ledger.interrupted.costUsd)})
            </p>
          )}
          {ledger.sections.length > 0 && (
            <>
              <h3>Per section</h3>
              <table className="ledger-sections" data-testid="ledger-sections">
                <thead>
                  <tr>
                    <th scope="col">Section</th>
                    <th scope="col">Today</th>
                    <th scope="col">Month</th>
                  </tr>
                </thead>
                <tbody>
                  {ledger.sections.map((row) => (
                    <tr key={row.section} data-testid={`ledger-section-${row.section}`}>
                      <th scope="row">{row.section}</th>
                      <td>{formatCost(row.dayUsd)}</td>
                      <td>{formatCost(row.monthUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>Most expensive today</h3>
          {top.length === 0 ? (
            <p className="muted small">Nothing spent yet today.</p>
          ) : (
            <ol className="ledger-articles">
              {top.map((article) => (
                <li key={article.articleId}>
                  <button type="button" data-testid={`ledger-article-${article.articleId}`} onClick={() => open(article.articleId)}>
                    <span className="ledger-headline" title={article.headline}>
                      {article.headline}
                    </span>
                    <span className={`status status-${article.status}`}>
                      {isStatus(article.status) ? STATUS_LABEL[article.status] : article.status}
                    </span>
                    <span className="ledger-cost">{formatCost(article.costUsd)}</span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </PopoverPanel>
  );
}
