import { defineConfig } from 'vitest/config';

// Tests read the workspace sources through the '@convkit/source' export condition,
// so `test` never waits on `build`. The browser end-to-end run is `test:e2e` (after `build`).
export default defineConfig({
  resolve: { conditions: ['@convkit/source'] },
  ssr: { resolve: { conditions: ['@convkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
