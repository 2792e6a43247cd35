import { defineConfig } from 'vitest/config';

// Tests read the workspace sources through the '@convkit/source' export condition.
export default defineConfig({
  resolve: { conditions: ['@convkit/source'] },
  ssr: { resolve: { conditions: ['@convkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
  },
});
