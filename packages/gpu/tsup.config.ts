import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  // gpu.js parses kernel functions from their source text: never minify (it cannot parse `a && (b = c)`).
  minify: false,
  external: ['gpu.js', 'webgpu', '@convkit/core'],
});
