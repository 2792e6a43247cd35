import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 1-D convolution: {@link conv} with the rank checked. Input `[N, C, W]` or unbatched without `N`,
 * weight `[C_out, C_in/groups, ...kernel]` with 1 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { conv1d, tensor } from '@convkit/core';
 * conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2])).data; // Float32Array [3, 5, 7]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor {
  return runOp('conv1d', [input, weight], options);
}
