// The app version from package.json (one source of truth for CLI --version and appInfo). Imported,
// not read at run time, so the bundles carry it and no path has to be right relative to them.
import pkg from '../../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
