// The queue in the header (issue 11): Running, or Paused (everything, or which lanes), and a panel to
// pause or resume everything or one lane (running jobs finish; nothing new is claimed). A pause is
// kept by the core across restarts and every board sees it (the core's queue event).
import { useState } from 'react';
import type { Lane, QueueState } from '../../../shared/domain.ts';
import { useBoard } from '../store/context.ts';
import { HeaderPopover } from './HeaderPopover.tsx';
import { usePopoverDismiss, type PopoverProps } from './popover.ts';
import { PopoverPanel } from './PopoverPanel.tsx';

export const LANE_LABEL: Record<Lane, string> = { breaking: 'Breaking', regular: 'Regular', default: 'Default', publish: 'Publishing' };

/** "Running", "Paused", or "Paused: Breaking, Publishing" (the lanes are the detail). */
export function queueSummary(queue: QueueState): { paused: boolean; label: string; detail: string } {
  if (queue.pausedAll) return { paused: true, label: 'Paused', detail: '' };
  const paused = queue.lanes.filter((lane) => lane.paused).map((lane) => LANE_LABEL[lane.name]);
  return paused.length === 0
    ? { paused: false, label: 'Running', detail: '' }
    : { paused: true, label: 'Paused', detail: `: ${paused.join(', ')}` };
}

function since(at: number | null): string {
  return at === null ? '' : ` since ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

function QueuePanel({ within, onClose }: PopoverProps) {
  const queue = useBoard((s) => s.queue);
  const setPaused = useBoard((s) => s.setPaused);
  const [busy, setBusy] = useState(false);
  usePopoverDismiss({ within, onClose });
  if (!queue) return null;
  const summary = queueSummary(queue);

  async function toggle(paused: boolean, lane?: Lane) {
    setBusy(true);
    await setPaused(paused, lane);
    setBusy(false);
  }

  return (
    <PopoverPanel
      id="queue-panel"
      title="Queue"
      aside={summary.paused ? `paused${since(queue.pausedSince)}` : 'running'}
      within={within}
      onClose={onClose}
    >
      <p className="muted small">
        A pause stops new work in a lane; running jobs finish. It stays paused across restarts until resumed here or with{' '}
        <code>hero-desk resume</code>.
      </p>
      <ul className="queue-lanes">
        {queue.lanes.map((lane) => (
          <li key={lane.name} className="queue-lane" data-testid={`queue-lane-${lane.name}`} data-paused={lane.paused}>
            <span className="queue-lane-name">{LANE_LABEL[lane.name]}</span>
            <span className="queue-lane-counts">
              {lane.queued} waiting · {lane.running} running
            </span>
            <span className={`queue-state ${lane.paused ? 'queue-state-paused' : 'queue-state-running'}`}>
              {lane.paused ? 'Paused' : 'Running'}
            </span>
            <button
              type="button"
              className="btn"
              data-testid={`queue-toggle-${lane.name}`}
              disabled={busy || (queue.pausedAll && lane.paused)}
              title={queue.pausedAll ? 'Everything is paused: resume everything first' : undefined}
              onClick={() => void toggle(!lane.paused, lane.name)}
            >
              {lane.paused ? 'Resume' : 'Pause'}
              <span className="sr-only"> {LANE_LABEL[lane.name]}</span>
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className={`btn ${summary.paused ? 'primary' : 'reject'}`}
        data-testid="queue-toggle-all"
        disabled={busy}
        onClick={() => void toggle(!summary.paused)}
      >
        {summary.paused ? 'Resume everything' : 'Pause everything'}
      </button>
    </PopoverPanel>
  );
}

export function QueueControl() {
  const queue = useBoard((s) => s.queue);
  if (!queue) return null;
  const summary = queueSummary(queue);
  return (
    <HeaderPopover
      wrapperClass="queue"
      buttonClass={`btn ghost queue-button${summary.paused ? ' queue-paused' : ''}`}
      testId="queue"
      panelId="queue-panel"
      title="The queue: pause or resume generating and publishing"
      buttonProps={{ 'data-state': summary.paused ? 'paused' : 'running', 'aria-label': `Queue: ${summary.label}${summary.detail}` }}
      button={
        <>
          <span className="queue-icon" aria-hidden="true">
            {summary.paused ? '❚❚' : '▶'}
          </span>
          <span className="queue-label">
            {summary.label}
            <span className="queue-detail">{summary.detail}</span>
          </span>
        </>
      }
      panel={QueuePanel}
    />
  );
}
