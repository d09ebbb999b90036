// The core's fetch calls (AITable, OpenAI and the other image providers, the relay) follow the
// proxy the OS is set to, as the board's own requests do: main installs an undici dispatcher that
// asks Electron's session which proxy serves each origin (system settings, PAC files, WPAD) and
// routes through it. HTTPS_PROXY / HTTP_PROXY / NO_PROXY, when set, win (EnvHttpProxyAgent). The
// core's own process installs the same dispatcher, asking main's session over its parent port
// (electron/utility/core-host.ts).
// Not covered: the R2 client (AWS SDK over node:https, not fetch).
import { Agent, Dispatcher, EnvHttpProxyAgent, ProxyAgent, setGlobalDispatcher } from 'undici';
import { errorMessage } from '../../../shared/error-message.ts';

/** The first usable entry of a PAC-style answer ("PROXY host:port; DIRECT"); null = go direct. */
export function proxyFromPac(result: string): string | null {
  for (const entry of result.split(';')) {
    const [kind, hostPort] = entry.trim().split(/\s+/, 2);
    const type = kind?.toUpperCase();
    if (type === 'DIRECT') return null;
    if ((type === 'PROXY' || type === 'HTTP') && hostPort) return `http://${hostPort}`;
    if (type === 'HTTPS' && hostPort) return `https://${hostPort}`;
    // SOCKS entries: undici has no SOCKS agent; try the next entry
  }
  return null;
}

export function proxyEnvConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['HTTPS_PROXY'] || env['https_proxy'] || env['HTTP_PROXY'] || env['http_proxy']);
}

export interface SessionProxyOptions {
  /** Electron's `session.resolveProxy(url)`. */
  resolveProxy: (url: string) => Promise<string>;
  onError?: (error: unknown, origin: string) => void;
  /** How long one origin's answer is reused (PAC answers change rarely). */
  ttlMs?: number;
}

/**
 * Resolves per origin before dispatching (the resolver is async, dispatch is not), then hands the
 * request to a direct Agent or that proxy's ProxyAgent. A resolver failure falls back to direct.
 */
export class SessionProxyDispatcher extends Dispatcher {
  private readonly direct = new Agent();
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly answers = new Map<string, { proxy: string | null; at: number }>();

  private readonly options: SessionProxyOptions;

  constructor(options: SessionProxyOptions) {
    super();
    this.options = options;
  }

  private async route(origin: string): Promise<Dispatcher> {
    if (isLoopback(origin)) return this.direct;
    const cached = this.answers.get(origin);
    const ttl = this.options.ttlMs ?? 5 * 60_000;
    let proxy: string | null;
    if (cached !== undefined && Date.now() - cached.at < ttl) {
      proxy = cached.proxy;
    } else {
      try {
        proxy = proxyFromPac(await this.options.resolveProxy(origin));
      } catch (error) {
        this.options.onError?.(error, origin);
        proxy = null;
      }
      this.answers.set(origin, { proxy, at: Date.now() });
    }
    if (proxy === null) return this.direct;
    let agent = this.proxies.get(proxy);
    if (agent === undefined) {
      agent = new ProxyAgent(proxy);
      this.proxies.set(proxy, agent);
    }
    return agent;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = typeof options.origin === 'string' ? options.origin : String(options.origin ?? '');
    this.route(origin)
      .then((dispatcher) => dispatcher.dispatch(options, handler))
      .catch((error: unknown) => failRequest(handler, error));
    return true;
  }

  override async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.direct.destroy(), ...[...this.proxies.values()].map((agent) => agent.destroy())]);
  }
}

/** A request that never reached a dispatcher still has to end, with an error, in either handler API. */
function failRequest(handler: Dispatcher.DispatchHandler, error: unknown): void {
  const err = error instanceof Error ? error : new Error(errorMessage(error));
  const h = handler as { onResponseError?: (controller: unknown, error: Error) => void; onError?: (error: Error) => void };
  if (typeof h.onResponseError === 'function') h.onResponseError(null, err);
  else h.onError?.(err);
}

/** The core talks to its own relay and media server on loopback: never through a proxy. */
export const LOOPBACK_NO_PROXY = 'localhost,127.0.0.1,::1';

export function isLoopback(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Installs the dispatcher every global `fetch` in this process uses; returns which kind. */
export function installProxyDispatcher(env: NodeJS.ProcessEnv, options: SessionProxyOptions): 'environment' | 'session' {
  if (proxyEnvConfigured(env)) {
    const noProxy = [env['NO_PROXY'] ?? env['no_proxy'], LOOPBACK_NO_PROXY].filter(Boolean).join(',');
    setGlobalDispatcher(
      new EnvHttpProxyAgent({
        httpProxy: env['HTTP_PROXY'] ?? env['http_proxy'],
        httpsProxy: env['HTTPS_PROXY'] ?? env['https_proxy'] ?? env['HTTP_PROXY'] ?? env['http_proxy'],
        noProxy,
      }),
    );
    return 'environment';
  }
  setGlobalDispatcher(new SessionProxyDispatcher(options));
  return 'session';
}
