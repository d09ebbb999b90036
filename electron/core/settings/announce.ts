// How a save is made known: one log line, a notice on every open board, and, while saved settings
// wait for a restart, an open problem that says so (it closes at the restart, or when a later save
// leaves nothing waiting).
import type { SettingsIssue } from '../../../shared/contract.ts';
import type { Logger } from '../base/log.ts';
import { raiseProblem, resolveProblem } from '../store/problems.ts';
import type { Store } from '../store/store.ts';

export const RESTART_PROBLEM = 'settings:restart';

export function announceSettings(store: Store, logger: Logger, configPath: string) {
  // this is a start: nothing saved before it waits for a restart any more
  resolveProblem(store, RESTART_PROBLEM);
  return (applied: string[], needsRestart: SettingsIssue[]): void => {
    const waiting = needsRestart.map((issue) => issue.path);
    const parts = [applied.length > 0 ? `applied now: ${applied.join(', ')}` : 'nothing to apply now'];
    if (waiting.length > 0) parts.push(`after a restart: ${waiting.join(', ')}`);
    logger.info({ configPath, applied, needsRestart: waiting }, `settings saved (${parts.join('; ')})`);
    store.notice('info', `Settings saved: ${parts.join('; ')}`);
    if (waiting.length === 0) {
      resolveProblem(store, RESTART_PROBLEM);
      return;
    }
    raiseProblem(store, {
      id: RESTART_PROBLEM,
      area: 'config',
      level: 'warn',
      message: `Saved settings wait for a restart: ${waiting.join(', ')}`,
      action: 'Restart Hero Desk to apply them (stop it and start it again; queued work is kept)',
    });
  };
}
