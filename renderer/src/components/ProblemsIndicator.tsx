// The header's problems button: how many problems are open (calm at zero, red when one is an error),
// opening the problems panel. A newly opened problem makes it pulse once and is read out to screen
// readers; a fault retried every few seconds stays one problem, so there is no toast per retry.
import { useState } from 'react';
import { PROBLEM_AREA_LABEL, problemSummary } from '../problems.ts';
import { useBoard } from '../store/context.ts';
import { HeaderPopover } from './HeaderPopover.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';

export function ProblemsIndicator() {
  const problems = useBoard((s) => s.problems);
  const opened = useBoard((s) => s.openedProblems);
  const tick = useBoard((s) => s.problemsOpenedTick);
  const [pulsed, setPulsed] = useState(0);
  const count = problems.length;
  const level = count === 0 ? 'none' : problems.some((problem) => problem.level === 'error') ? 'error' : 'warn';
  // two identical animations, alternated, so a second opening restarts the pulse instead of being lost
  const pulse = tick > pulsed ? ` problems-pulse-${tick % 2 === 0 ? 'a' : 'b'}` : '';
  // the name starts with what is shown ("2 problems"), then says how bad: "2 problems, 1 error, 1 warning"
  const name = count === 0 ? 'No problems' : `${count} ${count === 1 ? 'problem' : 'problems'}, ${problemSummary(problems)}`;

  return (
    <>
      <HeaderPopover
        wrapperClass="problems"
        buttonClass={`problems-button problems-${level}${pulse}`}
        testId="problems"
        panelId="problems-panel"
        title="Problems that need attention: the source, write-back, keys, storage, the relay, the disk"
        buttonProps={{ 'aria-label': name, 'data-level': level, 'data-count': String(count), onAnimationEnd: () => setPulsed(tick) }}
        button={
          count === 0 ? (
            <>
              <span className="problems-icon" aria-hidden="true">
                ✓
              </span>
              <span className="problems-word">No problems</span>
            </>
          ) : (
            <>
              <span className="problems-icon" aria-hidden="true">
                !
              </span>
              <span>
                <span className="problems-count">{count}</span>
                <span className="problems-word"> {count === 1 ? 'problem' : 'problems'}</span>
              </span>
            </>
          )
        }
        panel={ProblemsPanel}
      />
      <span className="sr-only" role="status" data-testid="problems-announcement">
        {tick === 0 ? '' : opened.map((problem) => `New problem, ${PROBLEM_AREA_LABEL[problem.area]}: ${problem.message}`).join('. ')}
      </span>
    </>
  );
}
