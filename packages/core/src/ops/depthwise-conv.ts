import type { DepthwiseConvOptions } from '../shape/depthwise-info.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

export type { DepthwiseConvOptions } from '../shape/depthwise-info.js';

/**
 * Depthwise convolution: every input channel is convolved with its own `multiplier` filters and
 * never mixed with the others. Weight `[C_in * multiplier, 1, ...kernel]`; output channel
 * `c * multiplier + j` reads input channel `c`. The same as {@link conv} with `groups = C_in`.
 *
 * @throws {ConvError} when the weight is not depthwise-shaped, or for any other invalid argument.
 * @example
 * ```ts
 * import { depthwiseConv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]); // 2 channels
 * const weight = tensor([1, 1, -1, 1], [2, 1, 2]); // a sum filter for channel 0, a difference for channel 1
 * depthwiseConv(input, weight).data; // Float32Array [3, 5, 10, 10]
 * ```
 */
export function depthwiseConv(input: Tensor, weight: Tensor, options?: DepthwiseConvOptions): Tensor {
  return runOp('depthwiseConv', [input, weight], options);
}
