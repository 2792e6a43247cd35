import type { ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * 1-D transposed convolution: {@link convTranspose} with the rank checked. Input `[N, C, W]` or
 * unbatched without `N`, weight `[C_in, C_out/groups, ...kernel]` with 1 kernel dims.
 *
 * @throws {ConvError} when the ranks do not fit, or for any other invalid argument.
 * @example
 * ```ts
 * import { convTranspose1d, tensor } from '@convkit/core';
 * convTranspose1d(tensor([1, 2], [1, 1, 2]), tensor([1, 1], [1, 1, 2]), { stride: 2 }).data; // Float32Array [1, 1, 2, 2]
 * ```
 */
export function convTranspose1d(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor {
  return runOp('convTranspose1d', [input, weight], options);
}
