import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { withBoardMetaCsp } from './shared/csp.ts';

// main and preload are bundled for Electron; the renderer is a plain web build that the
// desktop window loads over IPC and the headless bridge serves over HTTP (out/renderer).
export default defineConfig({
  main: {
    build: {
      // core-host: the core's utility process, forked by electron/main/core-process.ts;
      // sync-worker: the PostgreSQL store's thread, found next to core-host (store/postgres/sync-db.ts)
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          'core-host': resolve(import.meta.dirname, 'electron/utility/core-host.ts'),
          'sync-worker': resolve(import.meta.dirname, 'electron/core/store/postgres/sync-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        // sandboxed preloads cannot load ES modules: emit CommonJS (.cjs, since package.json says "module")
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    build: {
      // the board is also served to phones over the newsroom's network: ship it minified
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
    // the <meta> policy comes from shared/csp.ts, like every other policy Hero Desk sends
    plugins: [react(), { name: 'hero-desk-board-csp', transformIndexHtml: withBoardMetaCsp }],
  },
});
