/**
 * The one error class of convkit. Every invalid call of an operation throws it, before any
 * allocation, with the operation (`op`, e.g. `'conv2d'`), the argument at fault (`arg`, e.g.
 * `'weight'`) and a message that names both and the shapes involved.
 *
 * @example
 * ```ts
 * import { conv2d, tensor, ConvError } from '@convkit/core';
 * const input = tensor(new Float32Array(8 * 25), [1, 8, 5, 5]);
 * const weight = tensor(new Float32Array(4 * 27), [4, 3, 3, 3]);
 * conv2d(input, weight, { groups: 2 });
 * // throws ConvError: conv2d: weight.shape[1] * groups (3 * 2 = 6) must equal input channels (8); input [1,8,5,5], weight [4,3,3,3]
 * let caught: unknown;
 * try {
 *   conv2d(input, weight, { groups: 2 });
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof ConvError ? [caught.op, caught.arg] : []; // ['conv2d', 'weight']
 * ```
 */
export class ConvError extends Error {
  override readonly name = 'ConvError';
  /** The operation that refused its arguments, e.g. `'conv2d'` or `'convTranspose'`. */
  readonly op: string;
  /** The argument at fault, e.g. `'input'`, `'weight'`, `'stride'`, `'outputSize'`. */
  readonly arg: string;

  constructor(op: string, arg: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.arg = arg;
  }
}

/**
 * Formats a shape the way every message of convkit shows it: `[1,8,5,5]`.
 *
 * @example
 * ```ts
 * import { formatShape } from '@convkit/core/shape';
 * formatShape([1, 8, 5, 5]); // '[1,8,5,5]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
