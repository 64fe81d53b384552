import { defineConfig } from 'vitest/config';

/**
 * The web app in real Chromium against a real `glaze start` (`npm run test:e2e -w @glaze/web`).
 * The root `npm test` runs the same files with the same Postgres global setup.
 */
export default defineConfig({
  test: {
    root: '../..',
    include: ['apps/web/test/e2e/**/*.test.ts'],
    globalSetup: ['./test-setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
