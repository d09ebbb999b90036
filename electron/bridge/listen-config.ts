// Where the board listens and how it is reached: loopback plain HTTP (the default), TLS on any
// address (--tls-cert/--tls-key), or plain HTTP behind a reverse proxy that terminates TLS
// (--behind-proxy --public-origin). Plain HTTP on a non-loopback address is refused: the token
// would cross the network in clear text.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { errorMessage } from '../core/base/failures.ts';

export class ListenConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenConfigError';
  }
}

export interface ListenFlags {
  /** ADDR:PORT, e.g. 0.0.0.0:8443 or [::]:8443. */
  listen?: string;
  tlsCert?: string;
  tlsKey?: string;
  behindProxy?: boolean;
  publicOrigin?: string;
}

export interface ListenConfig {
  host: string;
  /** Null: the port comes from --board-port (or its default). */
  port: number | null;
  tls: { cert: Buffer; key: Buffer } | null;
  behindProxy: boolean;
  /** The origin browsers use (https://desk.example.com); null: derived from the bound address. */
  publicOrigin: string | null;
}

export const LOOPBACK_LISTEN: ListenConfig = { host: '127.0.0.1', port: null, tls: null, behindProxy: false, publicOrigin: null };

export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';

export function parseListenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new ListenConfigError(`--listen must be ADDR:PORT (e.g. 0.0.0.0:8443, [::]:8443 or 127.0.0.1:4780), not "${value}"`);
  }
  const host = match[1] ?? match[2]!;
  if (match[1] !== undefined && isIP(host) !== 6) throw new ListenConfigError(`--listen: "${host}" is not an IPv6 address`);
  return { host, port };
}

function parsePublicOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ListenConfigError(`--public-origin must be a URL such as https://desk.example.com, not "${value}"`);
  }
  if (url.protocol !== 'https:')
    throw new ListenConfigError(`--public-origin must be an https:// address (browsers reach the desk over TLS), not "${value}"`);
  if (url.pathname !== '/' || url.search || url.hash)
    throw new ListenConfigError(`--public-origin is an origin only (scheme, host, port): drop the path in "${value}"`);
  return url.origin;
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ListenConfigError(
      `${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}); check the path and its permissions`,
    );
  }
}

export function resolveListenConfig(flags: ListenFlags): ListenConfig {
  const { host, port } = flags.listen ? parseListenAddress(flags.listen) : { host: '127.0.0.1', port: null };
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new ListenConfigError('TLS needs both --tls-cert <file> and --tls-key <file>');
  }
  const tls =
    flags.tlsCert !== undefined && flags.tlsKey !== undefined
      ? { cert: readPem(flags.tlsCert, '--tls-cert'), key: readPem(flags.tlsKey, '--tls-key') }
      : null;
  const behindProxy = flags.behindProxy === true;
  const publicOrigin = flags.publicOrigin === undefined ? null : parsePublicOrigin(flags.publicOrigin);
  if (behindProxy && publicOrigin === null) {
    throw new ListenConfigError(
      '--behind-proxy needs --public-origin <https://your.desk.address>: the address editors open, so the Host and Origin checks accept it',
    );
  }
  if (!isLoopbackAddress(host) && tls === null && !behindProxy) {
    throw new ListenConfigError(
      `refusing plain HTTP on ${host}: tokens would cross the network unencrypted. Give --tls-cert <file> --tls-key <file>, ` +
        'or put the desk behind a TLS reverse proxy with --behind-proxy --public-origin <https://…> (see "Newsroom desk" in the README)',
    );
  }
  if (tls !== null && isWildcard(host) && publicOrigin === null) {
    throw new ListenConfigError(
      `--listen ${host} listens on every interface: give --public-origin <https://name:port> (the address editors open, matching the certificate)`,
    );
  }
  return { host, port, tls, behindProxy, publicOrigin };
}

/** The origin browsers use for this bridge once bound. */
export function boardOrigin(config: ListenConfig, port: number): string {
  if (config.publicOrigin !== null) return config.publicOrigin;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}
