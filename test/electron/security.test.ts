import pino from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppUrlGuard, isExternalWebUrl, resolveAppLocation } from '../../electron/main/app-url.ts';
import {
  contentSecurityPolicy,
  denyAllPermissions,
  hardenWebContents,
  installContentSecurityPolicy,
} from '../../electron/main/security.ts';
import * as electron from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const logger = pino({ level: 'silent' });
const packaged = createAppUrlGuard({ rendererDir: '/app/out/renderer', devServerUrl: null });
const dev = createAppUrlGuard({ rendererDir: '/app/out/renderer', devServerUrl: 'http://localhost:5173/' });

describe('app URL guard', () => {
  it.each([
    [packaged, 'app://board/index.html', true],
    [packaged, 'app://board/assets/index-abc.js', true],
    [packaged, 'app://board/', true],
    [packaged, 'app://evil/index.html', false],
    [packaged, 'app://board:8080/index.html', false],
    [packaged, 'app://user:pw@board/index.html', false],
    [packaged, 'apps://board/index.html', false],
    [packaged, 'file:///app/out/renderer/index.html', false],
    [packaged, 'file:///etc/passwd', false],
    [packaged, 'http://localhost:5173/', false],
    [packaged, 'not a url', false],
    [dev, 'http://localhost:5173/src/main.tsx', true],
    [dev, 'http://localhost:5174/', false],
    [dev, 'http://localhost:5173.evil.example/', false],
    [dev, 'http://user:pw@localhost:5173/', false],
    [dev, 'https://localhost:5173/', false],
    [dev, 'app://board/index.html', true],
    [dev, 'file:///app/out/renderer/index.html', false],
  ])('%#: %s is app-owned → %s', (guard, url, expected) => {
    expect(guard(url)).toBe(expected);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    const env = { ELECTRON_RENDERER_URL: 'https://evil.example/' };
    expect(resolveAppLocation('/app/out/main', true, env).devServerUrl).toBeNull();
    expect(resolveAppLocation('/app/out/main', false, env)).toEqual({
      rendererDir: '/app/out/renderer',
      devServerUrl: 'https://evil.example/',
    });
  });

  it('treats only http(s) as external web links', () => {
    expect(isExternalWebUrl('https://news.example/story')).toBe(true);
    expect(isExternalWebUrl('http://127.0.0.1:4000/reader')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'nope']) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });
});

describe('web contents hardening', () => {
  let contents: electron.MockWebContents;
  beforeEach(() => {
    electron.resetElectronMock();
    contents = new electron.MockWebContents();
    hardenWebContents(contents as never, { isAppUrl: packaged, openExternal: electron.shell.openExternal, logger });
  });

  it('denies every new window and hands only http(s) links to the system browser', () => {
    const open = contents.windowOpenHandler;
    if (open === null) throw new Error('no window open handler installed');
    expect(open({ url: 'https://news.example/a' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///app/out/renderer/index.html' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://news.example/a']]);
  });

  it('blocks navigation and redirects away from the board', () => {
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'app://board/index.html')).toBe(false);
    expect(contents.emitPreventable('will-navigate', 'file:///app/out/renderer/index.html')).toBe(true);
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://evil.example/']]);
  });

  it('refuses to attach a <webview>', () => {
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('session policy', () => {
  beforeEach(() => electron.resetElectronMock());

  it('denies every permission request and check', () => {
    const session = electron.session.defaultSession;
    denyAllPermissions(session as never, logger);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler?.({}, permission, 'file://', {})).toBe(false);
    }
  });

  it('sets the CSP header on app pages only, replacing any the server sent', () => {
    const session = electron.session.defaultSession;
    installContentSecurityPolicy(session as never, dev, true);
    const respond = (url: string, responseHeaders: Record<string, string[]>): unknown => {
      let response: unknown;
      session.headersListener?.({ url, responseHeaders }, (r) => (response = r));
      return response;
    };
    expect(respond('http://localhost:5173/', { 'content-security-policy': ['default-src *'], 'x-a': ['1'] })).toEqual({
      responseHeaders: { 'x-a': ['1'], 'Content-Security-Policy': [contentSecurityPolicy(true)] },
    });
    expect(respond('https://images.example/a.png', { 'x-a': ['1'] })).toEqual({});
  });

  it('allows loopback media in img-src and keeps scripts to self in packaged builds', () => {
    const policy = contentSecurityPolicy(false);
    expect(policy).toContain("img-src 'self' data: http://127.0.0.1:*");
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("object-src 'none'");
  });
});
