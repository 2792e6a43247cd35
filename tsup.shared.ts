import type { Options } from 'tsup';

/**
 * How every published @convkit package is built: ESM and CJS with declarations and source maps, for
 * ES2022. A package's `tsup.config.ts` spreads this in and adds its entry points (and anything of its own).
 */
export const libraryBuild: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
};
