import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 3-D convolution: {@link conv} with the rank checked. Input `[N, C, D, H, W]` or unbatched without `N`,
 * weight `[C_out, C_in/groups, ...kernel]` with 3 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { conv3d, tensor } from '@convkit/core';
 * conv3d(tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]), tensor([1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 2, 2, 2])).shape; // [1, 1, 1, 1, 1]
 * ```
 */
export function conv3d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor {
  return runOp('conv3d', [input, weight], options);
}
