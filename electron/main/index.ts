// Electron main entry (bundled by electron-vite to out/main/index.js).
import { startCore } from '../core/index.ts';
import { createLogger } from '../core/base/log.ts';
import { runDesktopApp } from './app.ts';

void runDesktopApp({ startCore, createLogger, mainDir: import.meta.dirname });
