// The app:// handler against a real renderer folder: it serves the board's files with their types
// and the CSP, and nothing outside out/renderer, however the path is spelled.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, resolveAppFile, serveAppRequest } from '../../electron/main/app-protocol.ts';

describe('app:// protocol', () => {
  let root: string;
  let rendererDir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hero-desk-app-protocol-'));
    rendererDir = join(root, 'out', 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Hero Desk</title>');
    await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(root, 'out', 'secret.txt'), 'do not serve');
    await writeFile(join(root, 'out', 'renderer-evil.txt'), 'do not serve');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, rendererDir, "default-src 'self'");

  it('is registered as a standard, secure scheme that supports fetch', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('serves the board with its content type and the CSP', async () => {
    const page = await get('app://board/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await page.text()).toContain('<title>Hero Desk</title>');
    const script = await get('app://board/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await (await get('app://board/')).text()).toContain('Hero Desk');
  });

  it.each([
    'app://board/../secret.txt',
    'app://board/%2e%2e/secret.txt',
    'app://board/%2E%2E%2Fsecret.txt',
    'app://board/assets/..%2F..%2Fsecret.txt',
    'app://board/..%5Csecret.txt',
    'app://board/%2e%2e%2frenderer-evil.txt',
    'app://board/index.html%00.js',
    'app://board/%E0%A4%A',
    'app://other/index.html',
    'app://user:pw@board/index.html',
    'file:///etc/passwd',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('answers 404 for a missing file and a folder, 405 for anything but GET/HEAD', async () => {
    expect((await get('app://board/nope.js')).status).toBe(404);
    expect((await get('app://board/assets')).status).toBe(404);
    expect((await get('app://board/index.html', 'POST')).status).toBe(405);
    const head = await get('app://board/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('maps paths only inside the renderer folder', () => {
    expect(resolveAppFile(rendererDir, 'app://board/assets/index-abc.js')).toBe(join(rendererDir, 'assets', 'index-abc.js'));
    expect(resolveAppFile(rendererDir, 'app://board/assets/../index.html')).toBe(join(rendererDir, 'index.html'));
    // dot segments resolve at the root, as in any URL: never above it
    expect(resolveAppFile(rendererDir, 'app://board/%2e%2e/%2e%2e/etc/passwd')).toBe(join(rendererDir, 'etc', 'passwd'));
    expect(resolveAppFile(rendererDir, 'app://board/..%2f..%2fetc/passwd')).toBeNull();
  });
});
