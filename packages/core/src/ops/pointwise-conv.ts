import type { PointwiseConvOptions } from '../shape/pointwise-info.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

export type { PointwiseConvOptions } from '../shape/pointwise-info.js';

/**
 * Pointwise (1x1) convolution: mixes channels at every position independently, a per-pixel
 * matrix product. Weight `[C_out, C_in/groups, 1, ...]`.
 *
 * @throws {ConvError} when a kernel dim is not 1, or for any other invalid argument.
 * @example
 * ```ts
 * import { pointwiseConv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 4], [1, 2, 2]); // 2 channels, 2 positions
 * const weight = tensor([1, 1, 1, -1], [2, 2, 1]); // sum and difference of the channels
 * pointwiseConv(input, weight).data; // Float32Array [4, 6, -2, -2]
 * ```
 */
export function pointwiseConv(input: Tensor, weight: Tensor, options?: PointwiseConvOptions): Tensor {
  return runOp('pointwiseConv', [input, weight], options);
}
