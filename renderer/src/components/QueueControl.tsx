// The queue in the header (issue 11): Running, or Paused (everything, or which lanes), and a panel to
// pause or resume everything or one lane (running jobs finish; nothing new is claimed). A pause is
// kept by the core across restarts and every board sees it (the core's queue event). The panel also
// says who works the queue: the desk and its `hero-desk worker`s, each with its lanes (issue 15).
import { useState } from 'react';
import { lanesNobodyClaims, type Lane, type QueueState } from '../../../shared/domain.ts';
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

function upFor(startedAt: number): string {
  const minutes = Math.floor((Date.now() - startedAt) / 60_000);
  if (minutes < 1) return 'just started';
  return minutes < 120 ? `up ${minutes} min` : `up ${Math.floor(minutes / 60)} h`;
}

/** Who claims which lanes (the desk, its `hero-desk worker`s); a lane nobody claims is said plainly. */
function WorkedBy({ queue }: { queue: QueueState }) {
  const processes = queue.processes ?? [];
  if (processes.length === 0) return null;
  const workers = processes.filter((p) => p.role === 'worker').length;
  const unclaimed = lanesNobodyClaims(queue).map((lane) => LANE_LABEL[lane]);
  return (
    <section className="queue-processes" data-testid="queue-processes" aria-label="Who works the queue">
      <h3 className="small">Worked by the desk{workers > 0 ? ` and ${workers} ${workers === 1 ? 'worker' : 'workers'}` : ''}</h3>
      <ul>
        {processes.map((p) => (
          <li key={p.owner} className="small" data-testid={`queue-process-${p.role}`}>
            <strong>{p.role === 'desk' ? 'Desk' : 'Worker'}</strong> · {p.lanes.map((lane) => LANE_LABEL[lane]).join(', ') || 'no lanes'}{' '}
            <span className="muted">
              · {upFor(p.startedAt)} · {p.owner.split(':').slice(0, 2).join(' pid ')}
            </span>
          </li>
        ))}
      </ul>
      {unclaimed.length > 0 ? (
        <p className="small queue-unclaimed" role="status">
          Nothing takes {unclaimed.join(', ')}: start <code>hero-desk worker</code> on the desk&apos;s data directory.
        </p>
      ) : null}
    </section>
  );
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
      <WorkedBy queue={queue} />
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
