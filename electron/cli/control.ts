// `hero-desk pause|resume|prioritise|queue|ledger`: control a running Hero Desk from a shell. The running
// instance wrote its board address and token to <data-dir>/runtime.json (this user only); these
// commands use the same contract the board does, over that bridge.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LANES, lanesNobodyClaims, type Lane, type QueueState } from '../../shared/domain.ts';
import { LedgerSchema, type DispatchResult, type Ledger } from '../../shared/contract.ts';
import { postJson, type ControlRoute } from './desk-client.ts';
import { NotRunningError } from './cli-errors.ts';

export { NotRunningError };

interface Runtime {
  boardUrl: string;
  /** Where a shell on this machine reaches the desk (absent in a runtime.json from before --listen). */
  control?: ControlRoute;
}

async function callRunning(dataDir: string, name: string, input: unknown): Promise<unknown> {
  const path = join(resolve(dataDir), 'runtime.json');
  let runtime: Runtime;
  try {
    runtime = JSON.parse(readFileSync(path, 'utf8')) as Runtime;
  } catch {
    throw new NotRunningError(
      `Hero Desk is not running with data dir ${resolve(dataDir)} (no ${path}); start it with \`hero-desk start\`, or pass --data-dir`,
    );
  }
  const [origin, token] = runtime.boardUrl.split('/#token=') as [string, string];
  const route = runtime.control ?? { url: origin, host: new URL(origin).host };
  let result: DispatchResult;
  try {
    result = (await postJson(route, `/api/commands/${name}`, token, input)).body as DispatchResult;
  } catch {
    throw new NotRunningError(`Hero Desk does not answer at ${route.url} (a stale ${path}?); is it still running?`);
  }
  if (!result.ok) throw new NotRunningError(`${name} refused: ${result.error.message}`);
  return result.value;
}

export function laneOption(value: string | undefined): Lane | undefined {
  if (value === undefined) return undefined;
  if (!(LANES as readonly string[]).includes(value)) throw new NotRunningError(`--tier must be one of ${LANES.join(', ')}`);
  return value as Lane;
}

function describeQueue(queue: QueueState): string {
  const rows = queue.lanes.map(
    (lane) => `  ${lane.name.padEnd(9)} ${lane.paused ? 'paused ' : 'running'}  ${lane.queued} waiting, ${lane.running} running`,
  );
  const since = queue.pausedSince === null ? '' : ` (paused since ${new Date(queue.pausedSince).toLocaleString()})`;
  return `queue${since}\n${rows.join('\n')}\n${describeProcesses(queue)}`;
}

/** Who claims which lanes: the desk and its `hero-desk worker`s, with how long each has run. */
function describeProcesses(queue: QueueState): string {
  const processes = queue.processes ?? [];
  if (processes.length === 0) return '';
  const unclaimed = lanesNobodyClaims(queue);
  const rows = processes.map(
    (p) => `  ${p.role.padEnd(6)}  ${p.owner}  up ${upFor(Date.now() - p.startedAt)}  lanes ${p.lanes.join(', ') || 'none'}`,
  );
  const warning = unclaimed.length
    ? `  nothing claims ${unclaimed.join(', ')}: start \`hero-desk worker\` here, or restart the desk without --lanes\n`
    : '';
  return `worked by\n${rows.join('\n')}\n${warning}`;
}

function upFor(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`;
}

export async function runQueueCommand(
  action: 'pause' | 'resume' | 'queueState',
  options: { dataDir: string; tier?: string },
): Promise<void> {
  const lane = laneOption(options.tier);
  const queue = (await callRunning(options.dataDir, action, action === 'queueState' ? {} : { lane })) as QueueState;
  process.stdout.write(describeQueue(queue));
}

export async function runPrioritise(articleId: string, options: { dataDir: string }): Promise<void> {
  await callRunning(options.dataDir, 'prioritise', { articleId });
  process.stdout.write(`${articleId} moved to the front of its lane\n`);
}

const usd = (value: number | null) => (value === null ? 'unknown' : `$${value.toFixed(4)}`);
const table = (head: string[], rows: string[][]) => {
  const widths = head.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

/** The ledger as a few readable tables: the day per tier, the month, per section, and the queue's forecast. */
export function describeLedger(ledger: Ledger): string {
  const tiers = table(
    ['tier', 'calls', 'spent', 'budget'],
    ledger.tiers.map((row) => [row.tier, String(row.calls), usd(row.costUsd), row.budgetUsd === null ? 'none' : usd(row.budgetUsd)]),
  );
  const sections = ledger.sections.length
    ? table(
        ['section', 'calls', ledger.day, ledger.month],
        ledger.sections.map((row) => [row.section, String(row.calls), usd(row.dayUsd), usd(row.monthUsd)]),
      )
    : '  (nothing spent)';
  const queued = table(
    ['tier', 'waiting', 'per image'],
    ledger.queued.tiers.map((row) => [row.tier, String(row.jobs), usd(row.perImageUsd)]),
  );
  const unpriced = ledger.queued.unpriced > 0 ? ` (+ ${ledger.queued.unpriced} with no known price)` : '';
  const interrupted =
    ledger.interrupted.calls > 0
      ? `\n${ledger.interrupted.calls} call(s) cut off by an unclean stop, counted at their estimate (${usd(ledger.interrupted.costUsd)})\n`
      : '';
  return (
    [
      `ledger ${ledger.day}: ${usd(ledger.totalUsd)} spent`,
      tiers,
      '',
      `month ${ledger.month}: ${usd(ledger.monthTotalUsd)} spent`,
      '',
      'per section',
      sections,
      '',
      `queued: ${ledger.queued.jobs} stories waiting, estimated ${usd(ledger.queued.estimatedUsd)}${unpriced}`,
      queued,
      interrupted,
    ].join('\n') + '\n'
  );
}

export async function runLedger(options: { dataDir: string; day?: string; month?: string }): Promise<void> {
  const ledger = LedgerSchema.parse(await callRunning(options.dataDir, 'ledger', { day: options.day, month: options.month }));
  process.stdout.write(describeLedger(ledger));
}
