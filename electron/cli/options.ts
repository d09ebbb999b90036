// What commander hands each command, checked with zod before it reaches runStart / runCheck and
// the rest: commander parses the words, these schemas say what a run may be given. A bad option is
// an OptionsError (one line naming the flag and the next step, exit 2). `relay` checks its own
// options (relay.ts), so the relay process never loads zod.
import { z } from 'zod';
import { LANES } from '../../shared/domain.ts';
import { OptionsError } from './cli-errors.ts';

export { OptionsError };

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const path = z.string().min(1, 'must not be empty');
const port = z.number().int().min(0).max(65535);
const dataDir = { dataDir: path };

/** `--lanes breaking,regular`: which queue lanes this process claims from; each named once. */
const lanes = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((lane) => lane.trim())
      .filter((lane) => lane !== ''),
  )
  .pipe(
    z
      .array(z.enum(LANES, { error: (issue) => `names ${String(issue.input)}, which is not a lane: use ${LANES.join(', ')}` }))
      .min(1, `must name at least one lane: ${LANES.join(', ')}`)
      .refine((list) => new Set(list).size === list.length, 'names a lane twice'),
  );

export const StartOptionsSchema = z.object({
  ...dataDir,
  config: path.optional(),
  autoApprove: z.number().min(1).max(10).optional(),
  boardPort: port.optional(),
  listen: z.string().min(1).optional(),
  tlsCert: path.optional(),
  tlsKey: path.optional(),
  behindProxy: z.boolean(),
  publicOrigin: z.string().min(1).optional(),
  mediaPort: port.optional(),
  relayPort: port.optional(),
  jsonLogs: z.boolean(),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  once: z.boolean(),
  timeLimit: z.number().int().positive().optional(),
  lanes: lanes.optional(),
});

export const WorkerOptionsSchema = z.object({
  ...dataDir,
  config: path.optional(),
  lanes: lanes.optional(),
  jsonLogs: z.boolean(),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
});

export const CheckOptionsSchema = z.object({ ...dataDir, config: path.optional() });

/** pause / resume / queue / prioritise / ledger: the running desk's data directory, and what each asks. */
export const RunningOptionsSchema = z.object({
  ...dataDir,
  tier: z.string().optional(),
  day: z.string().optional(),
  month: z.string().optional(),
});

export const AuditOptionsSchema = z.object({
  ...dataDir,
  since: z.string().optional(),
  article: z.string().min(1).optional(),
  limit: z.string().optional(),
});

export const UsersOptionsSchema = z.object({ ...dataDir, all: z.boolean().optional() });
export const UsersAddOptionsSchema = z.object({ ...dataDir, role: z.string() });

/** `timeLimit` → `--time-limit`: how the user typed it. */
const flagOf = (key: PropertyKey) => `--${String(key).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** Checks one command's options; the error names the flag and where to look. */
export function parseOptions<S extends z.ZodType>(command: string, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length > 0 ? flagOf(issue.path[0]!) : 'the options';
  throw new OptionsError(`${flag} ${issue.message} (see hero-desk ${command} --help)`);
}
