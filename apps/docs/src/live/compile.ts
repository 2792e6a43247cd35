import { transform } from 'sucrase';
import type { Example } from '../../examples/backend';

/** The modules a live example may import, by specifier. */
export type ModuleTable = Record<string, unknown>;

/**
 * Compiles the TypeScript source of a live example (as the reader edited it) into its default
 * export. Types are stripped and `import`s become look-ups in `modules`, so the page runs the
 * very text it shows; the vitest suite compiles the same files the same way.
 *
 * @example
 * ```ts
 * const example = compileExample(source, { '@convkit/core': core });
 * const result = await example(core);
 * ```
 */
export function compileExample(source: string, modules: ModuleTable): Example {
  const { code } = transform(source, { transforms: ['typescript', 'imports'], production: true });
  const require = (specifier: string): unknown => {
    if (specifier in modules) return modules[specifier];
    throw new Error(`live example: cannot import '${specifier}'; available: ${Object.keys(modules).join(', ')}`);
  };
  const module = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line no-new-func -- running the reader's code is the point of a live block.
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  const example = module.exports.default;
  if (typeof example !== 'function') {
    throw new Error('live example: the code must `export default` an async function of the backend');
  }
  return example as Example;
}
