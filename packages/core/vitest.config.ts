import { defineConfig } from 'vitest/config';
import { sourceCoverage, workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: v8 coverage roughly doubles the time of the hot TypeScript loops, and CI shares 2 cores between packages.
    testTimeout: 180_000,
    // Node 20's V8 has relaxed SIMD behind a flag (Node 22 has it by default): the relaxed kernels run in the tests.
    execArgv: ['--experimental-wasm-relaxed-simd'],
    coverage: sourceCoverage({ lines: 96, statements: 95, functions: 98, branches: 90 }),
  },
});
