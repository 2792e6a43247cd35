import { defineConfig } from 'vitest/config';
import { workspaceSources } from '../../vitest.shared.js';

// The browser end-to-end run is `test:e2e` (after `build`).
export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
