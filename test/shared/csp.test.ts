// The Content-Security-Policies come from one module (shared/csp.ts): the board's header, its <meta>
// tag and the desktop window's differ only where they must, and no other file writes a policy.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BOARD_META_CSP,
  BOARD_META_CSP_PLACEHOLDER,
  desktopBoardCsp,
  READER_PAGE_CSP,
  WEB_BOARD_CSP,
  withBoardMetaCsp,
} from '../../shared/csp.ts';
import { contentSecurityPolicy } from '../../electron/main/security.ts';

const ROOT = join(import.meta.dirname, '../..');
const directives = (policy: string) => new Map(policy.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)]));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('content security policies', () => {
  it('keeps scripts and styles to the app itself except in the desktop dev build', () => {
    for (const policy of [WEB_BOARD_CSP, BOARD_META_CSP, desktopBoardCsp(false)]) {
      expect(directives(policy).get('script-src')).toEqual(["'self'"]);
      expect(directives(policy).get('style-src')).toEqual(["'self'"]);
      expect(directives(policy).get('object-src')).toEqual(["'none'"]);
      expect(policy).not.toContain('unsafe-eval');
    }
    expect(directives(desktopBoardCsp(true)).get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // the packaged window talks over IPC only: no sockets
    expect(directives(desktopBoardCsp(false)).get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy(false)).toBe(desktopBoardCsp(false));
  });

  it('gives the <meta> tag the header policy without frame-ancestors (ignored in a <meta>), with room for a newsroom desk', () => {
    const header = directives(WEB_BOARD_CSP);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    header.delete('frame-ancestors');
    // both policies apply: the header (the bridge's, or the desktop app's naming its one desk) narrows these
    header.set('connect-src', [...header.get('connect-src')!, 'https:', 'wss:']);
    expect(directives(BOARD_META_CSP)).toEqual(header);
  });

  it('lets the desktop window reach the one desk it is connected to, and nothing else', () => {
    const desk = ['https://desk.example.org', 'wss://desk.example.org'];
    expect(directives(desktopBoardCsp(false, desk)).get('connect-src')).toEqual(["'self'", ...desk]);
    expect(directives(desktopBoardCsp(false)).get('connect-src')).toEqual(["'self'"]);
  });

  it('writes the policy into renderer/index.html at build time, and refuses a page without the placeholder', () => {
    const html = readFileSync(join(ROOT, 'renderer/index.html'), 'utf8');
    const built = withBoardMetaCsp(html);
    expect(built).not.toContain(BOARD_META_CSP_PLACEHOLDER);
    expect(built).toMatch(
      new RegExp(`http-equiv="Content-Security-Policy"\\s+content="${BOARD_META_CSP.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`),
    );
    expect(() => withBoardMetaCsp('<!doctype html><title>x</title>')).toThrow(BOARD_META_CSP_PLACEHOLDER);
  });

  it('lets the reader page load images and the relay socket from anywhere, scripts only from itself', () => {
    const reader = directives(READER_PAGE_CSP);
    expect(reader.get('default-src')).toEqual(["'none'"]);
    expect(reader.get('script-src')).toEqual(["'self'"]);
    expect(reader.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
  });

  it('is written nowhere else in the app', () => {
    const sources = ['electron', 'renderer', 'shared']
      .flatMap((dir) => filesUnder(join(ROOT, dir)))
      .filter((path) => /\.(ts|tsx|html)$/.test(path));
    const writers = sources.filter((path) => readFileSync(path, 'utf8').includes('default-src')).map((path) => relative(ROOT, path));
    expect(writers).toEqual(['shared/csp.ts']);
  });
});
