import { defineConfig } from 'vitest/config';

/** Unit tests of the web app: pure logic, no browser, no database (`npm test -w @glaze/web`). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
  },
});
