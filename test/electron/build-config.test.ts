// The window's preload path and `sandbox: true` only work if the build emits one CommonJS preload
// next to out/main. This reads the real electron-vite config so a mismatch fails here rather than
// as a blank window (no Electron binary is available to catch it at run time on CI machines).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import electronViteConfig from '../../electron.vite.config.ts';
import { PRODUCT_NAME } from '../../electron/main/app.ts';
import { preloadPath } from '../../electron/main/window.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

interface PreloadOutput {
  format?: string;
  entryFileNames?: string;
}

describe('build configuration', () => {
  it('bundles the preload as one CommonJS file named as the window expects', () => {
    const config = electronViteConfig as { preload?: { build?: { rollupOptions?: { output?: PreloadOutput } } } };
    const output = config.preload?.build?.rollupOptions?.output;
    // package.json is "type": "module", so electron-vite otherwise emits an ES module
    // (out/preload/index.mjs), which a sandboxed preload cannot load.
    expect(output?.format).toBe('cjs');
    expect(output?.entryFileNames?.replace('[name]', 'index')).toBe(basename(preloadPath('/app/out/main')));
  });
});

describe('product name', () => {
  const root = join(import.meta.dirname, '../..');
  it('is "Hero Desk" for Electron at run time (package.json) and for the installers (electron-builder.yml)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName?: string };
    const builderYml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(PRODUCT_NAME).toBe('Hero Desk');
    expect(manifest.productName).toBe(PRODUCT_NAME);
    expect(builderYml).toMatch(new RegExp(`^productName: ${PRODUCT_NAME}$`, 'm'));
  });
});
