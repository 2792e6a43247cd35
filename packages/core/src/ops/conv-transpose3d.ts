import type { ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 3-D transposed convolution: {@link convTranspose} with the rank checked. Input `[N, C, D, H, W]` or
 * unbatched without `N`, weight `[C_in, C_out/groups, ...kernel]` with 3 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { convTranspose3d, tensor } from '@convkit/core';
 * convTranspose3d(tensor([1], [1, 1, 1, 1, 1]), tensor(new Array(8).fill(1), [1, 1, 2, 2, 2])).shape; // [1, 1, 2, 2, 2]
 * ```
 */
export function convTranspose3d(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor {
  return runOp('convTranspose3d', [input, weight], options);
}
