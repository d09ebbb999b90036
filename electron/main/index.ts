// Electron main entry (bundled by electron-vite to out/main/index.js). The core runs in a utility
// process (out/main/core-host.js, electron/utility/core-host.ts), never on this process's event loop.
import { Notification, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import { runDesktopApp } from './app.ts';
import { startCoreProcess } from './core-process.ts';
import { closeRotatingLogger, createRotatingLogger } from './shell/log-file.ts';

void runDesktopApp({
  startCore: (core) =>
    startCoreProcess({
      core,
      fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
      modulePath: join(import.meta.dirname, 'core-host.js'),
      resolveProxy: (url) => session.defaultSession.resolveProxy(url),
      onGaveUp: (message) => {
        if (Notification.isSupported()) new Notification({ title: 'Hero Desk stopped working', body: message }).show();
      },
    }),
  createLogger: createRotatingLogger,
  closeLogger: closeRotatingLogger,
  mainDir: import.meta.dirname,
});
