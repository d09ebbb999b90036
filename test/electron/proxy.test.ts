// The core's fetch through the proxy Electron's session names, against real loopback servers: a
// target, and a forward proxy (CONNECT tunnels and absolute-URI requests) that records what it carried.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installProxyDispatcher, proxyFromPac, SessionProxyDispatcher } from '../../electron/main/shell/proxy.ts';

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('proxyFromPac', () => {
  it('takes the first usable entry', () => {
    expect(proxyFromPac('DIRECT')).toBeNull();
    expect(proxyFromPac('PROXY proxy.newsroom.lan:3128; DIRECT')).toBe('http://proxy.newsroom.lan:3128');
    expect(proxyFromPac('HTTPS secure.lan:443')).toBe('https://secure.lan:443');
    expect(proxyFromPac('SOCKS5 socks.lan:1080; PROXY p.lan:8080')).toBe('http://p.lan:8080');
    expect(proxyFromPac('')).toBeNull();
  });
});

describe('session proxy dispatcher', () => {
  let target: Server;
  let proxy: Server;
  let targetPort: number;
  let proxyPort: number;
  let carried: string[];
  const previous = getGlobalDispatcher();

  beforeEach(async () => {
    carried = [];
    target = createServer((req, res) => res.end(`target saw ${req.url}`));
    proxy = createServer((req, res) => {
      // plain-HTTP forwarding (absolute-URI request line)
      carried.push(`GET ${req.url}`);
      if (req.url?.startsWith('http://news.example/')) {
        res.end('answered by the proxy');
        return;
      }
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket, head) => {
      carried.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      if (host === 'news.example') {
        // stands in for the far site: answer one request on the tunnel
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 21\r\nconnection: close\r\n\r\nanswered by the proxy'));
        return;
      }
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    targetPort = await listen(target);
    proxyPort = await listen(proxy);
  });
  afterEach(async () => {
    const current = getGlobalDispatcher();
    setGlobalDispatcher(previous);
    await current.close().catch(() => undefined);
    proxy.closeAllConnections();
    target.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await new Promise((resolve) => target.close(resolve));
  });

  it("sends the process's global fetch through the proxy the session resolves for that origin", async () => {
    const asked: string[] = [];
    const kind = installProxyDispatcher(
      {},
      {
        resolveProxy: async (url) => {
          asked.push(url);
          return `PROXY 127.0.0.1:${proxyPort}; DIRECT`;
        },
      },
    );
    expect(kind).toBe('session');
    const response = await fetch('http://news.example/records?page=1');
    expect(await response.text()).toBe('answered by the proxy');
    expect(carried).toHaveLength(1);
    expect(carried[0]).toContain('news.example');
    expect(asked).toEqual(['http://news.example']);
    // loopback (the core's own relay) is never sent to a proxy, nor even looked up
    expect(await (await fetch(`http://127.0.0.1:${targetPort}/relay`)).text()).toBe('target saw /relay');
    expect(carried).toHaveLength(1);
    expect(asked).toEqual(['http://news.example']);
  });

  it('goes direct (and logs) when the session cannot answer', async () => {
    const errors: string[] = [];
    const dispatcher = new SessionProxyDispatcher({
      resolveProxy: async () => {
        throw new Error('resolver down');
      },
      onError: (_error, origin) => errors.push(origin),
    });
    setGlobalDispatcher(dispatcher);
    // direct to a name that does not resolve: the request fails as it would without a proxy
    await expect(fetch('http://news.example/direct')).rejects.toThrow();
    expect(carried).toEqual([]);
    expect(errors).toEqual(['http://news.example']);
  });

  it('lets HTTP_PROXY from the environment win over the session, but never for loopback', async () => {
    const asked: string[] = [];
    const kind = installProxyDispatcher(
      { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` },
      { resolveProxy: async (url) => (asked.push(url), 'DIRECT') },
    );
    expect(kind).toBe('environment');
    expect(await (await fetch('http://news.example/feed')).text()).toBe('answered by the proxy');
    expect(carried).toHaveLength(1);
    expect(carried[0]).toContain('news.example');
    // the core's own relay and media server on 127.0.0.1 stay direct
    expect(await (await fetch(`http://127.0.0.1:${targetPort}/relay`)).text()).toBe('target saw /relay');
    expect(carried).toHaveLength(1);
    expect(asked).toEqual([]);
  });
});
