// A `hero-desk worker` follows the desk's settings: when the config file changes (the desk's
// settings screen saved it, or an engineer edited it), what can change while running changes here
// too (tiers, provider chains, prompts, the breaking-news budget flag), through the same live applier
// the desk uses; what needs a restart is logged with that next step. A file that does not parse is
// logged and the running settings stay.
import { unwatchFile, watchFile } from 'node:fs';
import type { HeroDeskConfig } from '../config/schema.ts';
import type { Logger } from '../base/log.ts';
import { errorMessage } from '../base/failures.ts';
import { loadConfig } from './config-load.ts';
import type { LiveApplier } from './live.ts';
import { planChanges } from './plan.ts';
import { appliedConfig } from './service.ts';

export interface FollowConfigOptions {
  configPath: string;
  /** Whether the file must exist (an explicit --config). */
  required: boolean;
  running: HeroDeskConfig;
  live: LiveApplier;
  logger: Logger;
  /** How often the file's stat is read (default 2 s). */
  intervalMs?: number;
}

/** Starts following the file; returns the stop. */
export function followConfigFile(options: FollowConfigOptions): () => void {
  const { configPath, logger } = options;
  let running = options.running;
  const onChange = () => {
    let next: HeroDeskConfig;
    try {
      next = loadConfig(configPath, options.required);
    } catch (error) {
      logger.warn({ configPath }, `the config changed but cannot be used, so the running settings stay: ${errorMessage(error)}`);
      return;
    }
    const plan = planChanges(running, next);
    try {
      options.live.prepare(next, running, plan).commit();
    } catch (error) {
      logger.warn({ configPath }, `the config changed but could not be applied, so the running settings stay: ${errorMessage(error)}`);
      return;
    }
    running = appliedConfig(running, next, plan);
    const waiting = plan.restart.map((issue) => issue.path);
    logger.info(
      { configPath, applied: plan.live, needsRestart: waiting },
      `config changed: applied ${plan.live.length > 0 ? plan.live.join(', ') : 'nothing'}`,
    );
    if (waiting.length > 0) logger.warn({ needsRestart: waiting }, `restart this worker to apply: ${waiting.join(', ')}`);
  };
  watchFile(configPath, { interval: options.intervalMs ?? 2_000, persistent: false }, (current, previous) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) onChange();
  });
  return () => unwatchFile(configPath);
}
