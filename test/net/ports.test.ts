// The listen helper on real sockets: a fixed default that falls back when taken (one warning naming
// the flag), and a port the user chose that is taken is an error naming where it was set.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, listenOn, PortInUseError } from '../../electron/core/net/listen.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function occupy(): Promise<number> {
  const blocker = createServer();
  servers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  return (blocker.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

function fresh(): Server {
  const server = createServer();
  servers.push(server);
  return server;
}

describe('choosePort', () => {
  it('takes the flag over the config over the default, and says where each came from', () => {
    expect(choosePort({ cli: 5000, config: 6000, flag: '--relay-port', configKey: 'relay.port', defaultPort: 4782 })).toEqual({
      port: 5000,
      explicit: true,
      setting: '--relay-port',
      flag: '--relay-port',
    });
    expect(choosePort({ config: 6000, flag: '--relay-port', configKey: 'relay.port', defaultPort: 4782 })).toMatchObject({
      port: 6000,
      explicit: true,
      setting: 'relay.port in the config',
    });
    expect(choosePort({ flag: '--relay-port', defaultPort: 4782 })).toMatchObject({ port: 4782, explicit: false });
  });
});

describe('listenOn', () => {
  it('binds a free default port as is, without a warning', async () => {
    const port = await freePort();
    const warnings: string[] = [];
    const bound = await listenOn(fresh(), '127.0.0.1', 'media server', choosePort({ flag: '--media-port', defaultPort: port }), (m) =>
      warnings.push(m),
    );
    expect(bound).toBe(port);
    expect(warnings).toEqual([]);
  });

  it('falls back to a free port when the default is taken, with one warning naming the flag', async () => {
    const taken = await occupy();
    const warnings: string[] = [];
    const server = fresh();
    const bound = await listenOn(server, '127.0.0.1', 'relay', choosePort({ flag: '--relay-port', defaultPort: taken }), (m) =>
      warnings.push(m),
    );
    expect(bound).not.toBe(taken);
    expect(server.listening).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`relay port ${taken} is taken; using ${bound}`);
    expect(warnings[0]).toContain('--relay-port');
  });

  it('refuses a taken port the user chose, naming the flag or the config key', async () => {
    const taken = await occupy();
    const byFlag = await listenOn(
      fresh(),
      '127.0.0.1',
      'media server',
      choosePort({ cli: taken, flag: '--media-port', defaultPort: 4781 }),
      () => {},
    ).catch((e: unknown) => e);
    expect(byFlag).toBeInstanceOf(PortInUseError);
    expect((byFlag as Error).message).toMatch(new RegExp(`media server port ${taken} .*\\(--media-port\\) is already in use`));
    const byConfig = await listenOn(
      fresh(),
      '127.0.0.1',
      'relay',
      choosePort({ config: taken, flag: '--relay-port', configKey: 'relay.port', defaultPort: 4782 }),
      () => {},
    ).catch((e: unknown) => e);
    expect((byConfig as Error).message).toContain('(relay.port in the config)');
    expect((byConfig as Error).message).toContain('change relay.port in the config');
    expect((byConfig as PortInUseError).code).toBe('EADDRINUSE');
  });

  it('treats an explicit 0 as any free port', async () => {
    const bound = await listenOn(fresh(), '127.0.0.1', 'board', choosePort({ cli: 0, flag: '--board-port', defaultPort: 4780 }), () => {});
    expect(bound).toBeGreaterThan(0);
  });
});
