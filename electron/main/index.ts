// Electron main entry (bundled by electron-vite to out/main/index.js).
import { startCore } from '../core/index.ts';
import { runDesktopApp } from './app.ts';
import { closeRotatingLogger, createRotatingLogger } from './shell/log-file.ts';

void runDesktopApp({ startCore, createLogger: createRotatingLogger, closeLogger: closeRotatingLogger, mainDir: import.meta.dirname });
