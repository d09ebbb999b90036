// The standalone relay (`hero-desk relay`) as the site would run it: one fixed address, killed
// with SIGKILL for outages and started again on the same port once the outage is over.
import { join } from 'node:path';
import { spawnCli } from './processes.ts';
import type { Child } from './processes.ts';

export interface RelayControl {
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly up: boolean;
  readonly dataFile: string | null;
  readonly starts: number;
  /** Kills the relay now (if up) and keeps it down for at least downMs. */
  outage(downMs: number, why: string): void;
  /** Waits until it is up again (after any outage). */
  waitUp(): Promise<void>;
  /** Ends outages now and waits for the relay to be up. */
  endOutages(): Promise<void>;
  stop(): Promise<void>;
}

const SECRET_ENV = 'CHAOS_RELAY_SECRET';

export async function startRelayControl(options: {
  port: number;
  secret: string;
  dataFile: string | null;
  logDir: string;
  say: (message: string) => void;
}): Promise<RelayControl> {
  let child: Child | null = null;
  let downUntil = 0;
  let starts = 0;
  let timer: NodeJS.Timeout | null = null;
  let starting: Promise<void> | null = null;
  let stopped = false;
  const waiters: (() => void)[] = [];

  async function launch(): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        starts += 1;
        child = await spawnCli({
          args: [
            'relay',
            '--port',
            String(options.port),
            '--secret-env',
            SECRET_ENV,
            ...(options.dataFile ? ['--data-file', options.dataFile] : []),
          ],
          env: { ...process.env, [SECRET_ENV]: options.secret },
          logPath: join(options.logDir, 'relay.log'),
          ready: (line) => line.includes('relay listening'),
          readyTimeoutMs: 20_000,
        });
        void child.exited.then((exit) => {
          if (!stopped && exit.signal !== 'SIGKILL') options.say(`relay exited on its own (code ${exit.code}); starting it again`);
          if (!stopped && exit.signal !== 'SIGKILL') schedule(0);
        });
        for (const wake of waiters.splice(0)) wake();
        return;
      } catch (error) {
        if (tries >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300 * tries)); // the port may still be closing
      }
    }
  }

  function schedule(delayMs: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (stopped || Date.now() < downUntil) return schedule(Math.max(0, downUntil - Date.now()));
      starting = launch().finally(() => (starting = null));
      starting.catch((error: unknown) => options.say(`relay would not start: ${(error as Error).message}`));
    }, delayMs);
  }

  await launch();
  const isUp = () => child?.alive === true;
  const waitUp = async () => {
    while (!isUp()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    wsUrl: `ws://127.0.0.1:${options.port}/ws`,
    dataFile: options.dataFile,
    get up() {
      return isUp();
    },
    get starts() {
      return starts;
    },
    outage(downMs, why) {
      downUntil = Math.max(downUntil, Date.now() + downMs);
      if (isUp()) {
        options.say(`relay down for ${(downMs / 1000).toFixed(1)} s (${why})`);
        void child?.stop('SIGKILL');
      }
      schedule(Math.max(0, downUntil - Date.now()));
    },
    waitUp,
    async endOutages() {
      downUntil = 0;
      if (!isUp() && !starting) schedule(0);
      await Promise.race([waitUp(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await starting?.catch(() => undefined);
      await child?.stop('SIGTERM', 10_000);
    },
  };
}
