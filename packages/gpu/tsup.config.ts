import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // gpu.js parses kernel functions from their source text: never minify (it cannot parse `a && (b = c)`).
  minify: false,
  external: ['gpu.js', 'webgpu', '@convkit/core'],
});
