// A self-signed certificate made for the test run with the machine's openssl (no key material is
// checked in), valid for localhost, 127.0.0.1 and desk.test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  certPath: string;
  keyPath: string;
  cert: Buffer;
}

export function makeSelfSigned(dir: string): SelfSigned {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,DNS:desk.test,IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `the TLS tests make their certificate with openssl, which failed or is missing (install openssl): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { certPath, keyPath, cert: readFileSync(certPath) };
}
