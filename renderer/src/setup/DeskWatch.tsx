// Connected to a desk, a board that loses it must not sit on "Reconnecting…": as soon as the socket
// drops (or the token is refused), main asks the desk once and, if it refuses or cannot be reached,
// the reason and its next step cover the board until the connection is back.
import { useEffect, useState } from 'react';
import type { DeskCheck, DesktopSetupBridge } from '../../../shared/desktop.ts';
import { useBoard } from '../store/context.ts';
import { DeskProblem } from './DeskProblem.tsx';

type Refused = Extract<DeskCheck, { status: 'refused' }>;

export function DeskWatch({ setup, deskUrl }: { setup: DesktopSetupBridge; deskUrl: string }) {
  const connection = useBoard((s) => s.connection);
  const [problem, setProblem] = useState<Refused | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (connection !== 'reconnecting' && connection !== 'unauthorized') return;
    let current = true;
    setup.checkDesk().then(
      (check) => current && setProblem(check.status === 'refused' ? check : null),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [connection, setup, asked]);

  if (problem === null || connection === 'live') return null;
  return (
    <DeskProblem
      overlay
      setup={setup}
      deskUrl={deskUrl}
      check={problem}
      onRetry={() => (connection === 'unauthorized' ? window.location.reload() : setAsked((n) => n + 1))}
    />
  );
}
