import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['./test-setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // expect.poll waits 1 s by default: on a loaded CI machine (Postgres, Chromium, servers, workers
    // and other test files on 2 cores) a page or a run can take longer to show what is already
    // true. A poll returns as soon as its condition holds, so only a failure waits the 10 s.
    expect: { poll: { timeout: 10_000 } },
  },
});
