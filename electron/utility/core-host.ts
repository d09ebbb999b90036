// The core's utility process (bundled to out/main/core-host.js, started by electron/main/core-process.ts
// with utilityProcess.fork). It runs the whole core — SQLite store, queue, pipeline, relay — off the
// main process, so the window's event loop never waits on a story. Commands and events cross
// process.parentPort in the envelopes of protocol.ts; logs go to stdout as JSON lines, which main
// writes into the desktop log. Keys never sit in this process's environment: they are asked of main
// by name (only those the config uses), and saving one is main's job (the OS keychain lives there).
import { errorMessage } from '../../shared/error-message.ts';
import pino from 'pino';
import type { HeroEvent } from '../../shared/contract.ts';
import type { SecretStore, WritableSecretStore } from '../core/adapters/types.ts';
import { REDACT_PATHS } from '../core/base/log.ts';
import { machineFailureLine } from '../core/base/machine-errors.ts';
import { startCore, type RunningCore } from '../core/index.ts';
import { loadConfig } from '../core/settings/config-load.ts';
import { configSecretNames } from '../core/settings/secret-names.ts';
import { installProxyDispatcher } from '../main/shell/proxy.ts';
import { join } from 'node:path';
import {
  isToCore,
  type CoreHostOptions,
  type CoreRequest,
  type FromCore,
  type SecretSource,
  type SecretValue,
  type ToCore,
} from './protocol.ts';

/** Electron's process.parentPort, as far as this file uses it (the stand-in implements the same). */
export interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** Commands after which the config may name new keys: the cache asks main again. */
const CHANGES_KEYS = new Set(['saveSettings']);

export function runCoreHost(port: ParentPortLike): void {
  const post = (message: FromCore) => port.postMessage(message);
  let nextAsk = 1;
  const asked = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ask = (request: CoreRequest): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextAsk++;
      asked.set(id, { resolve, reject });
      post({ kind: 'ask', id, request });
    });

  let core: RunningCore | null = null;
  let logger: pino.Logger | null = null;
  let starting: Promise<void> | null = null;
  let refresh: () => Promise<void> = async () => undefined;

  const start = async (options: CoreHostOptions): Promise<void> => {
    const { secretsWritable, logLevel, ...startOptions } = options;
    const log = pino(
      { level: logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'hero-desk', process: 'core' } },
      pino.destination({ fd: 1, sync: true }),
    );
    logger = log;
    // the OS proxy settings live in main's session: ask it per origin (env proxies win, as in main)
    installProxyDispatcher(process.env, {
      resolveProxy: async (url) => String(await ask({ what: 'resolve-proxy', url })),
      onError: (error, origin) => log.warn({ err: error, origin }, 'proxy lookup failed; connecting directly'),
    });
    const keys = new Map<string, { value: string | null; source: SecretSource }>();
    const configPath = startOptions.configPath ?? join(startOptions.dataDir, 'hero-desk.config.json');
    refresh = async () => {
      let names: string[];
      try {
        names = configSecretNames(loadConfig(configPath, startOptions.configPath !== undefined));
      } catch {
        return; // a broken config: startCore (or the settings screen) says what is wrong
      }
      for (const entry of (await ask({ what: 'secrets', names })) as SecretValue[])
        keys.set(entry.name, { value: entry.value, source: entry.source });
    };
    await refresh();
    const read: SecretStore = { get: (name) => keys.get(name)?.value ?? undefined };
    const secrets: SecretStore | WritableSecretStore = secretsWritable
      ? {
          ...read,
          sourceOf: (name) => keys.get(name)?.source ?? null,
          async set(name, value) {
            keys.set(name, (await ask({ what: 'set-secret', name, value })) as SecretValue);
          },
        }
      : read;
    core = await startCore({ ...startOptions, secrets, logger: log });
    core.onEvent((event: HeroEvent) => post({ kind: 'event', event }));
  };

  const call = async (message: Extract<ToCore, { kind: 'call' }>): Promise<void> => {
    await starting?.catch(() => undefined);
    if (core === null) {
      post({ kind: 'result', id: message.id, result: { ok: false, error: { code: 'internal', message: 'the core is not running' } } });
      return;
    }
    try {
      const result = await core.dispatch(message.name, message.input, message.actor);
      if (CHANGES_KEYS.has(message.name)) await refresh().catch(() => undefined);
      post({ kind: 'result', id: message.id, result });
    } catch (error) {
      // dispatch maps known failures itself; what is left is a bug, kept out of the renderer
      logger?.error({ err: error, command: message.name }, 'core dispatch failed');
      post({ kind: 'result', id: message.id, result: { ok: false, error: { code: 'internal', message: 'internal error' } } });
    }
  };

  const stop = async (): Promise<void> => {
    await starting?.catch(() => undefined);
    await core?.stop();
    post({ kind: 'stopped' });
    process.exit(0);
  };

  port.on('message', ({ data }) => {
    if (!isToCore(data)) return;
    if (data.kind === 'start') {
      starting ??= start(data.options).then(
        () => post({ kind: 'started' }),
        (error: unknown) => {
          logger?.error({ err: error }, 'core failed to start'); // the stack, for the log; main shows the line
          const line = machineFailureLine(error);
          const message = line === null ? errorMessage(error) : line.charAt(0).toUpperCase() + line.slice(1);
          post({ kind: 'start-failed', message });
        },
      );
    } else if (data.kind === 'call') {
      void call(data);
    } else if (data.kind === 'answer') {
      const waiting = asked.get(data.id);
      asked.delete(data.id);
      if (data.answer.ok) waiting?.resolve(data.answer.value);
      else waiting?.reject(new Error(data.answer.message));
    } else if (data.kind === 'stop') {
      void stop();
    }
  });
}

// Started as a utility process (or the stand-in's child): serve the parent port.
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
if (parentPort !== undefined) runCoreHost(parentPort);
