import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 2-D convolution: {@link conv} with the rank checked. Input `[N, C, H, W]` or unbatched without `N`,
 * weight `[C_out, C_in/groups, ...kernel]` with 2 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { conv2d, tensor } from '@convkit/core';
 * conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2])).data; // Float32Array [10]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor {
  return runOp('conv2d', [input, weight], options);
}
