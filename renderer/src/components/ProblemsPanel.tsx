// The open problems, opened from the header: for each, where it is, what is wrong, the next step,
// since when and how often it was seen; errors first. It follows the core's list live; a problem that
// clears while the panel is open stays a few seconds marked "Resolved", so the editor sees it go.
// Warnings can be dismissed (records deleted on purpose, say); errors only clear when fixed, so a
// blocking fault can never be hidden by a click.
import { useEffect, useRef, useState } from 'react';
import type { Problem } from '../../../shared/domain.ts';
import { formatSeen, formatSince, orderProblems, PROBLEM_AREA_LABEL, problemSummary } from '../problems.ts';
import { useBoard } from '../store/context.ts';
import { useLatestLoad, usePopoverDismiss, type PopoverProps } from './popover.ts';
import { PopoverPanel } from './PopoverPanel.tsx';

const RESOLVED_MS = 4000;
const CLOCK_MS = 15_000;

/** The current time, refreshed every CLOCK_MS so "12 min ago" keeps up while the panel is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Problems that left the list while the panel is open, kept until RESOLVED_MS after the last one left. */
function useRecentlyResolved(problems: Problem[]): Problem[] {
  const [previous, setPrevious] = useState(problems);
  const [resolved, setResolved] = useState<Problem[]>([]);
  if (previous !== problems) {
    // adjusting state while rendering (React's pattern for "state derived from the previous props")
    const open = new Set(problems.map((problem) => problem.id));
    const gone = previous.filter((problem) => !open.has(problem.id));
    setPrevious(problems);
    if (gone.length > 0 || resolved.some((problem) => open.has(problem.id))) {
      setResolved([...resolved.filter((problem) => !open.has(problem.id)), ...gone]);
    }
  }
  useEffect(() => {
    if (resolved.length === 0) return;
    const timer = setTimeout(() => setResolved([]), RESOLVED_MS);
    return () => clearTimeout(timer);
  }, [resolved]);
  return resolved;
}

interface ProblemItemProps {
  problem: Problem;
  now: number;
  /** Gone from the core's list: 'resolved' by itself or 'dismissed' here; null while open. */
  gone: 'resolved' | 'dismissed' | null;
  onDismiss(id: string): void;
}

function ProblemItem({ problem, now, gone, onDismiss }: ProblemItemProps) {
  const { id, level, area, message, action } = problem;
  const resolved = gone !== null;
  return (
    <li className={`problem problem-${level}`} data-testid={`problem-${id}`} data-level={level} data-state={resolved ? 'resolved' : 'open'}>
      <div className="problem-kicker">
        <span className={`problem-level problem-level-${level}`}>{level === 'error' ? 'Error' : 'Warning'}</span>
        <span className="problem-area" data-testid="problem-area">
          {PROBLEM_AREA_LABEL[area] ?? area}
        </span>
        {resolved && (
          <span className="problem-resolved" data-testid="problem-resolved">
            ✓ {gone === 'dismissed' ? 'Dismissed' : 'Resolved'}
          </span>
        )}
      </div>
      <p className="problem-message" data-testid="problem-message">
        {message}
      </p>
      {action ? (
        <p className="problem-action" data-testid="problem-action">
          <span className="problem-action-label">Next step</span>
          {action}
        </p>
      ) : (
        <p className="problem-action problem-action-none" data-testid="problem-action">
          Nothing to do yet: Hero Desk keeps retrying, and this clears once it works.
        </p>
      )}
      <div className="problem-meta">
        <p>
          <time
            dateTime={new Date(problem.openedAt).toISOString()}
            title={new Date(problem.openedAt).toLocaleString()}
            data-testid="problem-since"
          >
            {formatSince(problem.openedAt, now)}
          </time>
          {' · '}
          <span data-testid="problem-seen">{formatSeen(problem, now)}</span>
        </p>
        {!resolved && level === 'warn' && (
          <button
            type="button"
            className="btn link problem-dismiss"
            data-testid="problem-dismiss"
            title="Take it off the list; it comes back if it happens again"
            onClick={() => onDismiss(id)}
          >
            Dismiss
          </button>
        )}
      </div>
    </li>
  );
}

export function ProblemsPanel({ within, onClose }: PopoverProps) {
  const problems = useBoard((s) => s.problems);
  const refreshProblems = useBoard((s) => s.refreshProblems);
  const dismissProblem = useBoard((s) => s.dismissProblem);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const list = useRef<HTMLUListElement>(null);
  // occurrence counts change without an event (the core does not push every retry): re-read on open
  const { error } = useLatestLoad(refreshProblems);
  const resolved = useRecentlyResolved(problems);
  const now = useNow();
  usePopoverDismiss({ within, onClose });

  /** Never rejects (dismissProblem shows its own failure), so the list's buttons start it without waiting. */
  async function dismiss(id: string) {
    // the button goes with the problem: keep the keyboard in the list
    list.current?.focus();
    setDismissed((ids) => new Set(ids).add(id)); // before the answer: the core's new list may come first
    if (await dismissProblem(id)) return;
    setDismissed((ids) => {
      const rest = new Set(ids);
      rest.delete(id);
      return rest;
    });
  }

  const open = orderProblems(problems);
  const summary = problems.length === 0 ? 'none open' : problemSummary(problems);
  return (
    <PopoverPanel id="problems-panel" title="Open problems" aside={summary} within={within} onClose={onClose}>
      {error && (
        <p className="muted small" role="status">
          Counts may be behind: could not re-read the problems ({error}).
        </p>
      )}
      {open.length === 0 && (
        <p className="problems-empty" data-testid="problems-empty">
          Nothing needs you. When the story source, write-back, a key, image storage, the relay or the disk fails, it shows here until it is
          fixed.
        </p>
      )}
      {open.length + resolved.length > 0 && (
        // focusable, so a long list can be scrolled from the keyboard (the panel itself does not scroll)
        <ul ref={list} className="problem-list" aria-label="Problems, errors first" tabIndex={0}>
          {open.map((problem) => (
            <ProblemItem key={problem.id} problem={problem} now={now} gone={null} onDismiss={(id) => void dismiss(id)} />
          ))}
          {resolved.map((problem) => (
            <ProblemItem
              key={problem.id}
              problem={problem}
              now={now}
              gone={dismissed.has(problem.id) ? 'dismissed' : 'resolved'}
              onDismiss={(id) => void dismiss(id)}
            />
          ))}
        </ul>
      )}
    </PopoverPanel>
  );
}
