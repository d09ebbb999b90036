// The desktop app itself under Playwright's Electron driver (`npm run test:electron`): needs
// Electron's binary, so it runs on the release workflow's macOS and Windows runners (and on any
// machine that can download Electron), not on our Linux build machines. Kept apart from
// playwright.config.ts, whose testDir is the browser suite in test/e2e.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/electron-e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/electron',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
