// Crash reports are written locally (Electron's crashDumps folder) and sent nowhere, unless the
// newsroom configures a collector with HERO_DESK_CRASH_REPORT_URL (e.g. a Sentry minidump endpoint).
import type { CrashReporterStartOptions } from 'electron';

export function crashReporterOptions(env: NodeJS.ProcessEnv, productName: string): CrashReporterStartOptions {
  const submitURL = env['HERO_DESK_CRASH_REPORT_URL'];
  if (submitURL) {
    const parsed = URL.canParse(submitURL) ? new URL(submitURL) : null;
    if (parsed === null || parsed.protocol !== 'https:') {
      throw new Error(
        `HERO_DESK_CRASH_REPORT_URL must be an https:// URL (got "${submitURL}"); fix it or unset it to keep crash reports local`,
      );
    }
    return { productName, submitURL, uploadToServer: true, compress: true };
  }
  return { productName, uploadToServer: false, compress: true };
}
