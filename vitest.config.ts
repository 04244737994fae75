import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each file gets its own database clone; two at a time keeps PGlite's memory in check on 2 cores.
    maxWorkers: 2,
    // Browser tests poll for what a user would see; on a busy CI machine that can take seconds.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
});
