// The CLI's own failures, apart from the modules that throw them, so report-failure.ts can tell
// them apart without loading zod (options.ts) or the desk client (control.ts).

/** A bad option: one line naming the flag and the next step, exit 2. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

/** The running desk a control command needs is not there (or refused): exit 1. */
export class NotRunningError extends Error {}
