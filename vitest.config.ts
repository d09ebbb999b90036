import { defineConfig } from 'vitest/config';

// Unit and integration tests run under Node against real SQLite files, real sockets and real
// loopback servers; the browser flow lives in test/e2e and runs under Playwright instead.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
