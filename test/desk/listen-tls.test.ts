// Listening beyond loopback: the refusals, a TLS bridge with a certificate made for the test (real
// HTTPS and WSS clients trusting only it), and the Host/Origin checks following --public-origin.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { ListenConfigError, resolveListenConfig } from '../../electron/bridge/listen-config.ts';
import { createFakeCore, sampleCard } from '../bridge/fake-core.ts';
import { makeSelfSigned } from '../helpers/self-signed.ts';
import { tempDirs } from '../helpers/temp.ts';
import { frameText } from '../helpers/frames.ts';

const logger = pino({ level: 'silent' });
const dirs = tempDirs();
const bridges: HttpBridge[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(bridges.splice(0).map((bridge) => bridge.stop()));
  dirs.cleanup();
});

function refusalOf(flags: Parameters<typeof resolveListenConfig>[0]): string {
  try {
    resolveListenConfig(flags);
  } catch (error) {
    expect(error).toBeInstanceOf(ListenConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

interface Answer {
  status: number;
  body: string;
}

function send(options: {
  tls: boolean;
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ca?: Buffer;
}): Promise<Answer> {
  const request = options.tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        servername: 'localhost',
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('listen configuration', () => {
  it('refuses plain HTTP on a non-loopback address, naming the flags that make it safe', () => {
    for (const listen of ['0.0.0.0:8443', '192.168.1.20:4780', '[::]:8443']) {
      const message = refusalOf({ listen });
      expect(message).toContain('refusing plain HTTP');
      expect(message).toContain('--tls-cert');
      expect(message).toContain('--tls-key');
      expect(message).toContain('--behind-proxy');
      expect(message).toContain('--public-origin');
    }
    // loopback stays plain HTTP, as today
    expect(resolveListenConfig({ listen: '127.0.0.1:4790' })).toMatchObject({ host: '127.0.0.1', port: 4790, tls: null });
    expect(resolveListenConfig({ listen: '[::1]:4790' })).toMatchObject({ host: '::1', port: 4790 });
  });

  it('explains each half-given or malformed setting', () => {
    const dir = dirs.make();
    expect(refusalOf({ listen: 'desk:port' })).toContain('--listen must be ADDR:PORT');
    expect(refusalOf({ tlsCert: `${dir}/cert.pem` })).toContain('both --tls-cert');
    expect(refusalOf({ tlsCert: `${dir}/missing.pem`, tlsKey: `${dir}/missing-key.pem` })).toMatch(
      /--tls-cert .*missing\.pem cannot be read \(ENOENT\)/,
    );
    expect(refusalOf({ listen: '0.0.0.0:80', behindProxy: true })).toContain('--behind-proxy needs --public-origin');
    expect(refusalOf({ behindProxy: true, publicOrigin: 'http://desk.example.com' })).toContain('must be an https://');
    expect(refusalOf({ behindProxy: true, publicOrigin: 'https://desk.example.com/board' })).toContain('drop the path');
    const { certPath, keyPath } = makeSelfSigned(dir);
    expect(refusalOf({ listen: '0.0.0.0:8443', tlsCert: certPath, tlsKey: keyPath })).toContain('give --public-origin');
    expect(resolveListenConfig({ listen: '0.0.0.0:8080', behindProxy: true, publicOrigin: 'https://Desk.Example.com' })).toMatchObject({
      behindProxy: true,
      publicOrigin: 'https://desk.example.com',
      tls: null,
    });
  });
});

describe('a TLS board', () => {
  it('serves commands over HTTPS and events over WSS to clients that trust only its certificate, and no plain HTTP', async () => {
    const dir = dirs.make();
    const { certPath, keyPath, cert } = makeSelfSigned(dir);
    const core = createFakeCore();
    const listen = resolveListenConfig({ listen: '127.0.0.1:0', tlsCert: certPath, tlsKey: keyPath });
    const bridge = await startHttpBridge({ core, rendererDir: dir, logger, listen });
    bridges.push(bridge);
    expect(bridge.url).toBe(`https://127.0.0.1:${bridge.port}/#token=${bridge.token}`);

    const answer = await send({
      tls: true,
      port: bridge.port,
      path: '/api/commands/approve',
      method: 'POST',
      ca: cert,
      headers: { host: `127.0.0.1:${bridge.port}`, authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ articleId: 'rec-1' }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: { ok: true } });
    expect(core.calls).toEqual([{ name: 'approve', input: { articleId: 'rec-1' } }]);

    // a client without the certificate refuses the connection (it is not from a known CA)
    await expect(send({ tls: true, port: bridge.port, path: '/' })).rejects.toThrow(/self-signed|self signed/);
    // plain HTTP to the TLS port gets no answer from the board
    await expect(send({ tls: false, port: bridge.port, path: '/api/commands/appInfo', method: 'POST' })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );

    const ws = new WebSocket(`wss://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}`, {
      ca: cert,
      headers: { origin: `https://127.0.0.1:${bridge.port}` },
    });
    sockets.push(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const received = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(frameText(data)))));
    const event = { type: 'card', seq: 9, card: sampleCard({ status: 'approved' }) } as const;
    core.emit(event);
    expect(await received).toEqual(event);
  });
});

describe('behind a reverse proxy', () => {
  it('answers to the public origin’s Host and Origin, and still to nothing else', async () => {
    const dir = dirs.make();
    const core = createFakeCore();
    const listen = resolveListenConfig({ listen: '127.0.0.1:0', behindProxy: true, publicOrigin: 'https://desk.test' });
    const bridge = await startHttpBridge({ core, rendererDir: dir, logger, listen });
    bridges.push(bridge);
    expect(bridge.url).toBe(`https://desk.test/#token=${bridge.token}`);
    const get = (host: string) => send({ tls: false, port: bridge.port, path: '/', headers: { host } });
    expect((await get('desk.test')).status).not.toBe(403);
    expect((await get(`127.0.0.1:${bridge.port}`)).status).not.toBe(403);
    expect((await get('evil.example')).status).toBe(403);
    expect((await get('desk.test:8443')).status).toBe(403);

    const socket = (headers: Record<string, string>) => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}`, { headers });
      ws.on('error', () => {});
      sockets.push(ws);
      return new Promise<number | 'open'>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    };
    expect(await socket({ host: 'desk.test', origin: 'https://desk.test' })).toBe('open');
    expect(await socket({ host: 'desk.test', origin: 'https://evil.example' })).toBe(403);
    expect(await socket({ host: 'evil.example', origin: 'https://desk.test' })).toBe(403);
  });
});
