import { defineConfig } from 'vitest/config';
import { workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Node 20's V8 has relaxed SIMD behind a flag (Node 22 has it by default): the relaxed kernels run in the tests.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
