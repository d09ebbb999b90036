// How the shell commands reach a running desk: runtime.json names where to connect (loopback when
// the desk listens there or everywhere), which Host to send, and, for a TLS desk, its certificate,
// which the client pins (it may be self-signed, or name a host other than 127.0.0.1).
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';

export interface ControlRoute {
  /** http(s)://ADDR:PORT to connect to. */
  url: string;
  /** The Host header the desk answers to on that route. */
  host: string;
  /** The TLS certificate file the desk serves (absent: plain HTTP). */
  certPath?: string;
}

/** The route a local shell uses for a desk bound to `bindHost:port`. */
export function controlRoute(bindHost: string, port: number, tls: { certPath: string } | null): ControlRoute {
  const everywhere = bindHost === '0.0.0.0' || bindHost === '::';
  const host = everywhere ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const scheme = tls ? 'https' : 'http';
  return { url: `${scheme}://${host}:${port}`, host: `${host}:${port}`, ...(tls ? { certPath: tls.certPath } : {}) };
}

/** POSTs JSON over the route; resolves with the status and the parsed body. */
export function postJson(route: ControlRoute, path: string, token: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, route.url);
  const pinned = route.certPath ? new X509Certificate(readFileSync(route.certPath)) : null;
  const tlsOptions = pinned
    ? {
        ca: [...rootCertificates, pinned.toString()],
        // the desk's own certificate, byte for byte, is the identity we trust here
        checkServerIdentity: (_host: string, peer: PeerCertificate) =>
          peer.fingerprint256 === pinned.fingerprint256
            ? undefined
            : new Error('the desk answered with a certificate other than its --tls-cert'),
      }
    : {};
  const send = pinned ? httpsRequest : httpRequest;
  const text = JSON.stringify(body ?? {});
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          host: route.host,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
        ...tlsOptions,
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(raw) });
          } catch {
            reject(new Error(`the desk answered ${res.statusCode} with something that is not JSON`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
