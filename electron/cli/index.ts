// The headless CLI (`hero-desk`). commander parses; each command lives in its own module, loaded
// only when it runs: `hero-desk relay` alone must not load the core (sharp, the AWS SDK, OpenAI).
import { Command, InvalidArgumentError } from 'commander';
import { APP_VERSION } from '../core/base/version.ts';
import type { ZodType, output } from 'zod';
import type * as Options from './options.ts';

/** Each command's options are checked by its schema in options.ts (zod), loaded only by the commands that use it. */
async function checked<S extends ZodType>(command: string, schema: (options: typeof Options) => S, raw: unknown): Promise<output<S>> {
  const options = await import('./options.ts');
  return options.parseOptions(command, schema(options), raw);
}

const control = () => import('./control.ts');

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 = any free port)');
  return n;
}

/** "90s", "10m", "1h" or plain seconds. */
function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('must be a duration such as 90s, 10m or 1h');
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

function score(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 10) throw new InvalidArgumentError('must be a score from 1 to 10');
  return n;
}

export function buildProgram(): Command {
  const program = new Command('hero-desk')
    .description('Hero images for a newsroom: articles in, scored images out, editors approve, readers see them live.')
    .version(APP_VERSION)
    .showHelpAfterError();

  program
    .command('start')
    .description('run the pipeline and the web board (embedded defaults when there is no config)')
    .option('-d, --data-dir <dir>', 'where the database, images and config live', '.hero-desk')
    .option('-c, --config <file>', 'config file (default: <data-dir>/hero-desk.config.json if present)')
    .option('--auto-approve <min-score>', 'approve and publish images scoring at least this, unattended', score)
    .option('--board-port <port>', 'port of the web board on 127.0.0.1 (default 4780, or a free one if taken; 0 = any)', port)
    .option('--listen <addr:port>', 'listen beyond loopback (e.g. 0.0.0.0:8443); needs --tls-cert/--tls-key or --behind-proxy')
    .option('--tls-cert <file>', 'TLS certificate (PEM) for the board; with --tls-key')
    .option('--tls-key <file>', 'TLS private key (PEM) for the board; with --tls-cert')
    .option('--behind-proxy', 'plain HTTP for a reverse proxy that terminates TLS (Caddy, nginx); needs --public-origin', false)
    .option('--public-origin <url>', 'the https:// address editors open (the proxy, or the name on the certificate)')
    .option('--media-port <port>', 'port of the local media server (default 4781, or a free one if taken; 0 = any)', port)
    .option('--relay-port <port>', 'port of the bundled reader relay (default 4782, or a free one if taken; 0 = any)', port)
    .option('--json-logs', 'log JSON lines instead of readable text', false)
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--once', 'cron-style: read what is new, take every job to an end state, print a summary, exit 0 (all well) or 1', false)
    .option('--time-limit <duration>', 'with --once: stop after this long (e.g. 10m; default 30m); what is left resumes next run', duration)
    .option('--lanes <list>', 'claim jobs only from these lanes (e.g. publish), leaving the rest to `hero-desk worker`s (default all)')
    .action(async (raw) => {
      const { timeLimit, ...options } = await checked('start', (o) => o.StartOptionsSchema, raw);
      await (await import('./start.ts')).runStart({ ...options, timeLimitMs: timeLimit });
    });

  program
    .command('worker')
    .description("run only the queue beside a desk on the same data directory (no board, no relay): more hands for the desk's lanes")
    .option('-d, --data-dir <dir>', "the desk's data directory", '.hero-desk')
    .option('-c, --config <file>', 'config file (default: <data-dir>/hero-desk.config.json if present)')
    .option('--lanes <list>', 'lanes to claim jobs from, comma-separated (default breaking,regular,default: the desk publishes)')
    .option('--json-logs', 'log JSON lines instead of readable text', false)
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .action(async (raw) => (await import('./worker.ts')).runWorker(await checked('worker', (o) => o.WorkerOptionsSchema, raw)));

  program
    .command('check')
    .description('validate the config and probe every adapter (keys, fields, buckets) without starting')
    .option('-d, --data-dir <dir>', 'data directory (for the config and secrets.json)', '.hero-desk')
    .option('-c, --config <file>', 'config file (default: <data-dir>/hero-desk.config.json if present)')
    .action(async (options) => (await import('./check.ts')).runCheck(await checked('check', (o) => o.CheckOptionsSchema, options)));

  program
    .command('relay')
    .description('run only the reader relay (WebSocket fan-out + demo reader page), for a site without one')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (default 8787, or a free one if taken; 0 = any)', port)
    .option('--data-file <path>', 'SQLite file keeping history, idempotency keys and the epoch across restarts', 'hero-desk-relay.sqlite')
    .option('--secret-env <name>', 'environment variable holding the publish secret', 'HERO_DESK_RELAY_SECRET')
    .option('--history-url-env <name>', 'environment variable holding a postgres:// URL: history shared by several relay instances')
    .option('--history-schema <name>', 'PostgreSQL schema of the shared history (default hero_desk)')
    .option('--allow-origin <origin...>', 'origins allowed to connect readers (default: any)', [])
    .action(async (options: Record<string, unknown>) => {
      const relay = await import('./relay.ts');
      await relay.runRelay(relay.parseRelayOptions(options));
    });

  const running = (command: Command) => command.option('-d, --data-dir <dir>', 'data directory of the running Hero Desk', '.hero-desk');
  running(
    program
      .command('pause')
      .description('stop claiming new work in a running Hero Desk (every lane, or one with --tier); running jobs finish'),
  )
    .option('--tier <lane>', 'breaking, regular, default or publish')
    .action(async (options) => (await control()).runQueueCommand('pause', await checked('pause', (o) => o.RunningOptionsSchema, options)));
  running(program.command('resume').description('claim work again (every lane, or one with --tier)'))
    .option('--tier <lane>', 'breaking, regular, default or publish')
    .action(async (options) =>
      (await control()).runQueueCommand('resume', await checked('resume', (o) => o.RunningOptionsSchema, options)),
    );
  running(program.command('queue').description('show which lanes are paused and what waits in each')).action(async (options) =>
    (await control()).runQueueCommand('queueState', await checked('queue', (o) => o.RunningOptionsSchema, options)),
  );
  running(
    program
      .command('prioritise')
      .argument('<record-id>', "the story's record id")
      .description("move a story's waiting job to the front of its lane"),
  ).action(async (id: string, options) =>
    (await control()).runPrioritise(id, await checked('prioritise', (o) => o.RunningOptionsSchema, options)),
  );
  running(
    program
      .command('ledger')
      .description('what was spent: the day per tier, the month, per section, and what the queue is expected to cost'),
  )
    .option('--day <YYYY-MM-DD>', 'the UTC day (default today)')
    .option('--month <YYYY-MM>', "the month for the month totals (default the day's month)")
    .action(async (options) => (await control()).runLedger(await checked('ledger', (o) => o.RunningOptionsSchema, options)));

  program
    .command('audit')
    .description('who did what: approvals, rejections, retractions, prompt edits, queue and account changes, newest first')
    .option('-d, --data-dir <dir>', "the desk's data directory", '.hero-desk')
    .option('--since <when>', 'a date (2026-12-01, 2026-12-01T09:00Z) or a span back from now (90m, 24h, 7d)')
    .option('--article <record-id>', "only this story's entries")
    .option('--limit <n>', 'at most this many entries (default 200)')
    .action(async (options) => (await import('./audit.ts')).runAudit(await checked('audit', (o) => o.AuditOptionsSchema, options)));

  const users = program.command('users').description("the newsroom desk's accounts: one personal token each, with a role");
  users
    .command('add')
    .argument('<name>', 'who the account is for (shown on the cards they act on)')
    .requiredOption(
      '--role <role>',
      'viewer (reads), editor (approves, rejects, regenerates, edits) or admin (also settings, keys, the queue)',
    )
    .option('-d, --data-dir <dir>', "the desk's data directory", '.hero-desk')
    .description('create an account and print its token (once)')
    .action(async (name: string, options) =>
      (await import('./users.ts')).runUsersAdd(name, await checked('users add', (o) => o.UsersAddOptionsSchema, options)),
    );
  users
    .command('list')
    .option('-d, --data-dir <dir>', "the desk's data directory", '.hero-desk')
    .option('--all', 'include revoked accounts', false)
    .description('list the accounts and their roles (never their tokens)')
    .action(async (options) =>
      (await import('./users.ts')).runUsersList(await checked('users list', (o) => o.UsersOptionsSchema, options)),
    );
  users
    .command('revoke')
    .argument('<name>', 'the account to revoke')
    .option('-d, --data-dir <dir>', "the desk's data directory", '.hero-desk')
    .description("revoke an account's token at once")
    .action(async (name: string, options) =>
      (await import('./users.ts')).runUsersRevoke(name, await checked('users revoke', (o) => o.UsersOptionsSchema, options)),
    );

  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch(async (error: unknown) => (await import('./report-failure.ts')).reportFailure(error));
