import { createRequire } from 'node:module';

/** The app version from package.json (one source of truth for CLI --version and appInfo). */
export const APP_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
