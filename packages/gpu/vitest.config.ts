import { defineConfig } from 'vitest/config';
import { sourceCoverage, workspaceSources } from '../../vitest.shared.js';

export default defineConfig({
  ...workspaceSources,
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: v8 coverage roughly doubles the time of the hot TypeScript loops, and CI shares 2 cores between packages.
    testTimeout: 180_000,
    // Node modes only (cpu, webasm, headless GL): the browser suite (webgl2, webgl, webgpu in
    // Chromium) runs a bundle in the page and is not measured. The kernel functions are left out:
    // gpu.js runs them from the generated source strings, never from these files, and they are
    // checked by the conformance vectors and fuzzers on every backend instead.
    coverage: sourceCoverage({ lines: 85, statements: 80, functions: 85, branches: 60 }, [
      'src/kernels/convolution.ts',
      'src/kernels/probe.ts',
      'src/kernels/upload.ts',
    ]),
  },
});
