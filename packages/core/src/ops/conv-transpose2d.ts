import type { ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 2-D transposed convolution: {@link convTranspose} with the rank checked. Input `[N, C, H, W]` or
 * unbatched without `N`, weight `[C_in, C_out/groups, ...kernel]` with 2 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { convTranspose2d, tensor } from '@convkit/core';
 * convTranspose2d(tensor([1], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [1, 1, 2, 2])).data; // Float32Array [1, 2, 3, 4]
 * ```
 */
export function convTranspose2d(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor {
  return runOp('convTranspose2d', [input, weight], options);
}
