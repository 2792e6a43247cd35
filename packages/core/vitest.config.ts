import { defineConfig } from 'vitest/config';
import { sourceCoverage, workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    coverage: sourceCoverage({ lines: 95, statements: 95, functions: 95, branches: 88 }),
  },
});
