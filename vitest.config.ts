import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // A poll waits for an event the page shows; on a loaded 2-core machine a browser can take
    // longer than the 1 s default to show it. It still fails, after this long.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
