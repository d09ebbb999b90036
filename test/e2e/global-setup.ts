// Playwright's global setup: the specs serve the built board (out/renderer), so it is built here when
// missing or stale. After `npm run build` (as `npm test` runs it) the build is fresh and nothing runs.
// HERO_DESK_RENDERER_DIR points the specs at another build: then out/ is not needed.
import { ensureBuilt } from '../helpers/build.ts';

export default function globalSetup(): void {
  if (process.env.HERO_DESK_RENDERER_DIR) return;
  ensureBuilt();
}
