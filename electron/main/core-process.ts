// The core in its own process: main forks electron/utility/core-host.ts as an Electron utility
// process and hands the rest of main a CoreApi that looks like the in-process one (dispatch, onEvent,
// stop), so ipc.ts and the shell do not know the difference. Each command crosses with a request id
// and a timeout; events come back as they happen. Main answers the core's three requests itself:
// the keys the config names (and no other: checked against the config file main reads itself),
// saving a key into the keychain, and the OS proxy for a URL. If the core process dies it is started
// again once, after a back-off (the new core takes up the jobs the dead one held at once: it ends a
// dead local process's leases at start, core/app/resumed.ts); if it dies again the board is told
// plainly and commands answer with what to do.
import { constants, setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { DispatchResult, HeroEvent } from '../../shared/contract.ts';
import { errorMessage } from '../../shared/error-message.ts';
import type { Actor } from '../../shared/roles.ts';
import { isWritableSecretStore } from '../core/adapters/types.ts';
import type { CoreApi } from '../core/app/api.ts';
import type { StartCoreOptions } from '../core/index.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import { configSecretNames } from '../core/settings/secret-names.ts';
import {
  isFromCore,
  type CoreHostOptions,
  type CoreRequest,
  type CoreRequestAnswer,
  type FromCore,
  type SecretValue,
  type ToCore,
} from '../utility/protocol.ts';

/** The part of Electron's UtilityProcess used here (the stand-in forks a Node child with the same shape). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ForkUtility = (
  modulePath: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdio: 'pipe'; serviceName: string },
) => UtilityProcessLike;

export interface CoreProcessOptions {
  /** Electron's utilityProcess.fork (only after app ready). */
  fork: ForkUtility;
  /** The bundled core-host.js. */
  modulePath: string;
  /** What the in-process core would get; secrets and logger stay in main. */
  core: StartCoreOptions;
  /** Main's environment; the child gets it without HERO_DESK_SECRET_* (keys come by request only). */
  env?: NodeJS.ProcessEnv;
  /** Electron's session.resolveProxy; absent: direct. */
  resolveProxy?: (url: string) => Promise<string>;
  /** One line of the core's JSON log (default: written through main's logger's stream). */
  writeLogLine?: (line: string) => void;
  /** Told once when the core keeps dying and is no longer restarted (the shell may show a dialog). */
  onGaveUp?: (message: string) => void;
  startTimeoutMs?: number;
  callTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Wait before the restart after a crash; doubled for each further restart in the window. */
  restartDelayMs?: number;
  /** Restarts allowed within `crashWindowMs`; one more crash and it stays down. */
  maxRestarts?: number;
  crashWindowMs?: number;
  /** OS priority of the core process (default below normal: the window wins the CPU); null leaves it. */
  priority?: number | null;
}

export interface CoreProcess extends CoreApi {
  stop(): Promise<void>;
  /** The running child's pid (tests kill it to play a crash). */
  readonly pid: number | undefined;
}

export const GAVE_UP_MESSAGE =
  'The Hero Desk core keeps stopping unexpectedly, so it was not started again. Quit and reopen Hero Desk; if it happens again, send the log (Help → Show Logs).';
const RESTARTING_MESSAGE =
  'The Hero Desk core stopped unexpectedly and is being restarted; stories it was working on resume by themselves.';

/** The key names the core may ask for: what the config file names now (settings saves change it). */
export function allowedSecretNames(core: Pick<StartCoreOptions, 'dataDir' | 'configPath'>): string[] {
  try {
    return configSecretNames(loadConfig(core.configPath ?? join(core.dataDir, 'hero-desk.config.json'), core.configPath !== undefined));
  } catch {
    return []; // a config that does not load names no keys; the core reports the mistake itself
  }
}

/** Keeps each line whole: the core's lines and main's own must not interleave mid-line. */
function pipeLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (stream === null) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (line.trim() !== '') write(line);
  });
}

function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('HERO_DESK_SECRET_')));
}

function rawLineWriter(logger: Logger): (line: string) => void {
  // pino's destination takes whole JSON lines; the core's are already redacted and stamped
  const stream = (logger as unknown as Record<symbol, { write?: (chunk: string) => unknown } | undefined>)[pino.symbols.streamSym];
  return (line) => {
    if (typeof stream?.write === 'function') stream.write(`${line}\n`);
    else logger.info({ core: line }, 'core log line');
  };
}

export async function startCoreProcess(options: CoreProcessOptions): Promise<CoreProcess> {
  const logger = options.core.logger;
  const secrets = options.core.secrets;
  const writeLine = options.writeLogLine ?? rawLineWriter(logger);
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const listeners = new Set<(event: HeroEvent) => void>();
  const pending = new Map<number, { name: string; resolve: (result: DispatchResult) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let lastSeq = 0;
  let child: UtilityProcessLike | null = null;
  let ready: Promise<void> = Promise.resolve();
  let state: 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped' = 'starting';
  const crashes: number[] = [];

  const emit = (event: HeroEvent) => {
    lastSeq = Math.max(lastSeq, event.seq);
    for (const listener of listeners) listener(event);
  };
  const notice = (level: 'warn' | 'error', message: string) => emit({ type: 'notice', seq: lastSeq, level, message, articleId: null });
  const failPending = (message: string) => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      pending.delete(id);
      call.resolve({ ok: false, error: { code: 'internal', message: `${message} while running "${call.name}"; try again` } });
    }
  };

  const answerRequest = async (request: CoreRequest): Promise<CoreRequestAnswer> => {
    if (request.what === 'resolve-proxy')
      return { ok: true, value: options.resolveProxy ? await options.resolveProxy(request.url) : 'DIRECT' };
    const allowed = new Set(allowedSecretNames(options.core));
    const names = request.what === 'secrets' ? request.names : [request.name];
    const refused = names.filter((name) => !allowed.has(name));
    if (refused.length > 0) {
      logger.warn({ refused }, 'core process asked for keys its config does not name: refused');
      return {
        ok: false,
        message: `refused: ${refused.map((name) => `"${name}"`).join(', ')} ${refused.length === 1 ? 'is' : 'are'} not a key the config uses`,
      };
    }
    const writable = isWritableSecretStore(secrets) ? secrets : null;
    const valueOf = (name: string): SecretValue => ({
      name,
      value: secrets.get(name) ?? null,
      source: writable ? writable.sourceOf(name) : secrets.get(name) ? 'environment' : null,
    });
    if (request.what === 'secrets') return { ok: true, value: names.map(valueOf) };
    if (writable === null) return { ok: false, message: 'keys cannot be saved here; set them in the environment' };
    await writable.set(request.name, request.value);
    return { ok: true, value: valueOf(request.name) };
  };

  // background work: when the core and the window both want the CPU, the window goes first
  const lowerPriority = (proc: UtilityProcessLike) => {
    const priority = options.priority === undefined ? constants.priority.PRIORITY_BELOW_NORMAL : options.priority;
    if (priority === null || proc.pid === undefined) return;
    try {
      setPriority(proc.pid, priority);
    } catch (error) {
      logger.warn({ err: error }, 'could not lower the core process priority');
    }
  };

  const hostOptions = (): CoreHostOptions => {
    const { secrets: _secrets, logger: _logger, ...rest } = options.core;
    return { ...rest, secretsWritable: isWritableSecretStore(secrets), logLevel: logger.level };
  };

  /** Forks the core and resolves once it has started; a start failure rejects with the core's own line. */
  const spawn = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const proc = options.fork(options.modulePath, [], {
        env: childEnv(options.env ?? process.env),
        stdio: 'pipe',
        serviceName: 'Hero Desk core',
      });
      child = proc;
      pipeLines(proc.stdout, writeLine);
      pipeLines(proc.stderr, (line) => logger.warn({ stderr: line }, 'core process stderr'));
      let settled = false;
      const settle = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(startTimer);
        if (error === null) resolve();
        else reject(error);
      };
      const startTimer = setTimeout(() => {
        settle(new Error('the Hero Desk core did not start in time; see the log (Help → Show Logs)'));
        proc.kill();
      }, options.startTimeoutMs ?? 60_000);
      const send = (message: ToCore) => proc.postMessage(message);
      proc.on('message', (message: unknown) => {
        if (!isFromCore(message)) return;
        handle(message, proc, send, settle);
      });
      proc.on('exit', (code: number) => {
        settle(new Error(`the Hero Desk core exited while starting (code ${code}); see the log (Help → Show Logs)`));
        if (child === proc) onExit(code);
      });
      send({ kind: 'start', options: hostOptions() });
    });

  const handle = (message: FromCore, proc: UtilityProcessLike, send: (message: ToCore) => void, settle: (error: Error | null) => void) => {
    switch (message.kind) {
      case 'started':
        lowerPriority(proc);
        settle(null);
        return;
      case 'start-failed':
        settle(new Error(message.message));
        proc.kill();
        return;
      case 'event':
        emit(message.event);
        return;
      case 'result': {
        const call = pending.get(message.id);
        if (call === undefined) return; // timed out already
        pending.delete(message.id);
        clearTimeout(call.timer);
        call.resolve(message.result);
        return;
      }
      case 'ask':
        // an answer that cannot be sent (the core died meanwhile) has no one left to read it
        void answerRequest(message.request)
          .catch((error: unknown): CoreRequestAnswer => ({ ok: false, message: errorMessage(error) }))
          .then((answer) => send({ kind: 'answer', id: message.id, answer }));
        return;
      case 'stopped':
        return;
    }
  };

  let exited: (() => void) | null = null;
  const onExit = (code: number) => {
    child = null;
    if (state === 'stopping' || state === 'stopped') {
      failPending('the Hero Desk core stopped');
      exited?.();
      return;
    }
    logger.error({ code }, 'core process exited unexpectedly');
    failPending('the Hero Desk core stopped unexpectedly');
    if (state !== 'running') return; // a start that fails is reported by its caller
    const now = Date.now();
    const window = options.crashWindowMs ?? 5 * 60_000;
    while (crashes.length > 0 && (crashes[0] ?? 0) < now - window) crashes.shift();
    if (crashes.length >= (options.maxRestarts ?? 1)) {
      giveUp();
      return;
    }
    crashes.push(now);
    state = 'restarting';
    notice('warn', RESTARTING_MESSAGE);
    const delay = (options.restartDelayMs ?? 1_000) * 2 ** (crashes.length - 1);
    ready = new Promise<void>((resolve) => setTimeout(resolve, delay))
      .then(() => (state === 'restarting' ? spawn() : undefined))
      .then(
        () => {
          if (state !== 'restarting') return;
          state = 'running';
          logger.info({ delayMs: delay }, 'core process restarted');
        },
        (error: unknown) => {
          logger.error({ err: error }, 'core process could not be restarted');
          giveUp();
        },
      );
  };
  const giveUp = () => {
    state = 'failed';
    logger.error('core process keeps stopping: not restarted again');
    notice('error', GAVE_UP_MESSAGE);
    options.onGaveUp?.(GAVE_UP_MESSAGE);
  };

  await spawn();
  state = 'running';

  return {
    get pid() {
      return child?.pid;
    },
    async dispatch(name: string, input: unknown, actor?: Actor): Promise<DispatchResult> {
      if (state === 'restarting') await ready;
      const proc = child;
      if (state !== 'running' || proc === null) {
        return {
          ok: false,
          error: { code: 'internal', message: state === 'failed' ? GAVE_UP_MESSAGE : 'the Hero Desk core is not running' },
        };
      }
      const id = nextId++;
      return new Promise<DispatchResult>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          logger.error({ command: name, timeoutMs: callTimeoutMs }, 'core process did not answer in time');
          resolve({
            ok: false,
            error: {
              code: 'internal',
              message: `the Hero Desk core did not answer "${name}" within ${Math.round(callTimeoutMs / 1000)} s; try again, and see the log if it persists`,
            },
          });
        }, callTimeoutMs);
        pending.set(id, { name, resolve, timer });
        proc.postMessage({ kind: 'call', id, name, input, ...(actor ? { actor } : {}) } satisfies ToCore);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (state === 'stopping' || state === 'stopped') return;
      const wasRestarting = state === 'restarting';
      state = 'stopping';
      if (wasRestarting) await ready.catch(() => undefined);
      const proc = child;
      if (proc !== null) {
        const gone = new Promise<void>((resolve) => (exited = resolve));
        proc.postMessage({ kind: 'stop' } satisfies ToCore);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), options.stopTimeoutMs ?? 14_000)));
        if ((await Promise.race([gone, late])) === 'late') {
          logger.error('core process did not stop in time: killed');
          proc.kill();
        }
        clearTimeout(timer);
      }
      state = 'stopped';
    },
  };
}
