import { defineConfig } from 'vitest/config';
import { sourceCoverage, workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Most of the kit runs inside core's and gpu's suites; these floors cover its own tests only.
    coverage: sourceCoverage({ lines: 20, statements: 18, functions: 25, branches: 20 }),
  },
});
