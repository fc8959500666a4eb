import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The CLI tests run the built bundle (bin/ -> dist/): `npm test` builds first.
    globalSetup: ['test/support/build-once.ts'],
  },
});
