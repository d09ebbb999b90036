// A real S3-compatible server on loopback for tests: s3rver 3.7.1 in-process, behind a thin
// HTTP front that counts requests (and can fail them, to simulate an R2 outage).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  requests: { method: string; url: string }[];
  /** Answer the next request with this status instead of passing it on. */
  failNext(status: number): void;
  stop(): Promise<void>;
}

export async function startS3Server(bucket = 'heroes-test'): Promise<S3TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hd-s3-'));
  const s3rver = new S3rver({ silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const requests: { method: string; url: string }[] = [];
  let failing: number | null = null;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    if (failing !== null) {
      res.writeHead(failing, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>');
      failing = null;
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    requests,
    failNext: (status) => void (failing = status),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
