// One way to bind every server we run. Each has a fixed default port, so addresses stay the same
// from one run to the next; a default that is taken falls back to a free port with one warning
// naming the flag that picks another. A port the user chose (a flag or the config) that is taken
// is an error naming that setting: silently moving it would break whatever points at it.
import { createServer, type AddressInfo, type Server } from 'node:net';

export const DEFAULT_PORTS = { board: 4780, media: 4781, relay: 4782 } as const;

export interface PortChoice {
  port: number;
  /** True when the user asked for this port; false for our default. */
  explicit: boolean;
  /** What sets it, for messages: "--relay-port" or "relay.port in the config". */
  setting: string;
  /** The flag that overrides it, named when a default falls back. */
  flag: string;
}

/** The CLI flag wins over the config key, which wins over the default. */
export function choosePort(options: { cli?: number; config?: number; flag: string; configKey?: string; defaultPort: number }): PortChoice {
  const { cli, config, flag, configKey, defaultPort } = options;
  if (cli !== undefined) return { port: cli, explicit: true, setting: flag, flag };
  if (config !== undefined) return { port: config, explicit: true, setting: `${configKey ?? flag} in the config`, flag };
  return { port: defaultPort, explicit: false, setting: flag, flag };
}

export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';
  readonly port: number;
  readonly setting: string;
  constructor(what: string, host: string, choice: PortChoice) {
    const change = choice.setting.startsWith('--') ? `choose another with ${choice.setting}` : `change ${choice.setting}`;
    super(
      `${what} port ${choice.port} on ${host} (${choice.setting}) is already in use; is Hero Desk already running? Stop whatever holds it or ${change} (0 = any free port)`,
    );
    this.name = 'PortInUseError';
    this.port = choice.port;
    this.setting = choice.setting;
  }
}

function tryListen(server: Server, port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      resolve(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(null);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Fails early, before anything else starts, when a port the user chose is taken (the real bind
 * later still decides; this only spares a start-up that would be undone).
 */
export async function assertPortFree(host: string, what: string, choice: PortChoice): Promise<void> {
  if (!choice.explicit || choice.port === 0) return;
  const probe = createServer();
  const error = await tryListen(probe, choice.port, host);
  if (error === null) {
    await new Promise((resolve) => probe.close(resolve));
    return;
  }
  if (error.code === 'EADDRINUSE' || error.code === 'EACCES') throw new PortInUseError(what, host, choice);
  throw error;
}

/** Listens on the chosen port (or a free one, when a taken default allows it); returns the bound port. */
export async function listenOn(
  server: Server,
  host: string,
  what: string,
  choice: PortChoice,
  warn: (message: string) => void,
): Promise<number> {
  const error = await tryListen(server, choice.port, host);
  if (error === null) return (server.address() as AddressInfo).port;
  const taken = error.code === 'EADDRINUSE' || error.code === 'EACCES';
  if (!taken) throw error;
  if (choice.explicit) throw new PortInUseError(what, host, choice);
  const fallback = await tryListen(server, 0, host);
  if (fallback !== null) throw fallback;
  const port = (server.address() as AddressInfo).port;
  warn(`${what} port ${choice.port} is taken; using ${port} for this run (choose one with ${choice.flag})`);
  return port;
}
