// SIGINT/SIGTERM are taken from the moment `hero-desk start` begins. Without a listener Node dies of
// the signal at once, so one that arrived while the desk was still starting (or in the instant
// between writing runtime.json and registering the handlers) skipped the clean stop: running jobs
// not handed back, the datasheet claim kept, a stale runtime.json left behind. A signal during the
// start now waits for it to finish and then stops cleanly; a second signal still exits at once.
import type { Logger } from '../core/base/log.ts';

export interface StopSignals {
  /** The desk is up: a signal stops it with `shutdown` (at once, when one came during the start). */
  started(shutdown: (signal: string) => Promise<void>): void;
  /** The start failed: signals are Node's again (the process is on its way out anyway). */
  release(): void;
}

export function takeStopSignals(logger: Logger): StopSignals {
  let shutdown: ((signal: string) => Promise<void>) | null = null;
  let pending: string | null = null;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown) {
      // a second signal while stopping: do not wait for the clean stop
      if (stopping) {
        logger.warn('second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      return void shutdown(signal);
    }
    if (pending !== null) {
      logger.warn('second signal while starting: exiting now');
      process.exit(1);
    }
    pending = signal;
    logger.info({ signal }, 'stopping as soon as the start has finished');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    started(stop) {
      shutdown = stop;
      if (pending === null) return;
      stopping = true;
      void stop(pending);
    },
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
