// A transparent HTTP hop between Hero Desk and the relay, on a fixed port. It forwards every
// request as is; it exists so the harness can see a publication in flight and kill Hero Desk at
// the worst moment: after the relay accepted it and before Hero Desk heard back. When the relay
// is down, the client's connection is reset, as it would be without the hop.
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asText } from '../../test/helpers/text.ts';

export interface TapPublication {
  articleId: string;
  version: number;
  at: number;
  /** The relay's HTTP status; absent when it could not be reached. */
  status?: number;
  outcome: 'pending' | 'answered' | 'relay-unreachable' | 'cut';
}

export interface RelayTap {
  readonly url: string;
  readonly publications: TapPublication[];
  /** Told when a POST /publish arrives. */
  onPublish: ((publication: TapPublication) => void) | null;
  /** Asked once the relay answered; 'cut' drops the answer (the client's connection is reset). */
  beforeAnswer: ((publication: TapPublication) => Promise<'forward' | 'cut'>) | null;
  close(): Promise<void>;
}

function publicationOf(body: Buffer): TapPublication {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { articleId?: unknown; version?: unknown };
    return { articleId: asText(parsed.articleId ?? '?'), version: Number(parsed.version ?? -1), at: Date.now(), outcome: 'pending' };
  } catch {
    return { articleId: '?', version: -1, at: Date.now(), outcome: 'pending' };
  }
}

export async function startRelayTap(target: { port: number }): Promise<RelayTap> {
  const publications: TapPublication[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isPublish = req.method === 'POST' && (req.url ?? '').startsWith('/publish');
      const publication = isPublish && body.length > 2 ? publicationOf(body) : null;
      if (publication) {
        publications.push(publication);
        tap.onPublish?.(publication);
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: `127.0.0.1:${target.port}` };
      const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          void (async () => {
            if (publication) publication.status = answer.statusCode;
            const verdict = publication && tap.beforeAnswer ? await tap.beforeAnswer(publication) : 'forward';
            if (verdict === 'cut' || res.destroyed) {
              if (publication) publication.outcome = 'cut';
              res.destroy();
              return;
            }
            if (publication) publication.outcome = 'answered';
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          })();
        });
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', () => {
        if (publication) publication.outcome = 'relay-unreachable';
        res.destroy(); // the relay is down: the client sees a reset, as it would without the tap
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const tap: RelayTap = {
    url: `http://127.0.0.1:${port}`,
    publications,
    onPublish: null,
    beforeAnswer: null,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return tap;
}
