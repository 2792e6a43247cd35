import { defineConfig } from 'vitest/config';
import { sourceCoverage, workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The kit's own tests (harness, validity rule, runner, loaders); it also runs inside core's and gpu's suites.
    coverage: sourceCoverage({ lines: 85, statements: 82, functions: 85, branches: 65 }),
  },
});
